import { type UserSummary, userListSchema } from '@quorate/protocol';
import { useCallback, useEffect, useState } from 'react';
import { callApi } from '../api/api-client.js';
import { useSignedIn } from '../session/session.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { PasswordDialog } from './password-dialog.js';
import { RolesDialog } from './roles-dialog.js';
import { UserFormDialog } from './user-form-dialog.js';

type Editing =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'roles' | 'password' | 'delete'; user: UserSummary };

function rolesText(user: UserSummary): string {
  if (user.admin) return 'All roles on every cluster';
  const entries = Object.entries(user.roles);
  if (entries.length === 0) return 'None';
  return entries.map(([cluster, roles]) => `${cluster}: ${roles.join(', ')}`).join('; ');
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/** Users and their per-cluster roles; administrators only. */
export function UsersPage() {
  const session = useSignedIn();
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const reload = useCallback(() => {
    callApi('GET', '/api/users', { schema: userListSchema }).then(
      (list) => setUsers(list.users),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  }, []);
  useEffect(reload, [reload]);
  const close = () => {
    setEditing({ kind: 'none' });
    reload();
  };

  if (!session.user.admin) {
    return (
      <Notice tone="bad" testId="users-forbidden">
        Only an administrator manages users.
      </Notice>
    );
  }
  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
        <button
          type="button"
          className="primary"
          onClick={() => setEditing({ kind: 'create' })}
          data-test="add-user"
        >
          Add user
        </button>
      </div>
      <ErrorNotice testId="users-error" message={error} />
      {users && (
        <table data-test="users-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Administrator</th>
              <th scope="col">Roles</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.name} data-test="user-row">
                <td className="mono" data-test="user-name">
                  {user.name}
                </td>
                <td>{user.admin ? 'yes' : 'no'}</td>
                <td data-test="user-roles">{rolesText(user)}</td>
                <td>{when(user.lastLoginAt)}</td>
                <td className="row-actions">
                  {!user.admin && (
                    <button
                      type="button"
                      onClick={() => setEditing({ kind: 'roles', user })}
                      data-test="user-edit-roles"
                    >
                      Roles…
                    </button>
                  )}
                  <button
                    type="button"
                    onClick={() => setEditing({ kind: 'password', user })}
                    data-test="user-reset-password"
                  >
                    Reset password…
                  </button>
                  {user.name !== session.user.name && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setEditing({ kind: 'delete', user })}
                      data-test="user-delete"
                    >
                      Delete…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <UserFormDialog open={editing.kind === 'create'} onClose={close} />
      {editing.kind === 'roles' && <RolesDialog user={editing.user} onClose={close} />}
      {editing.kind === 'password' && <PasswordDialog user={editing.user} onClose={close} />}
      <ConfirmDialog
        open={editing.kind === 'delete'}
        title={editing.kind === 'delete' ? `Delete user ${editing.user.name}?` : ''}
        confirmLabel="Delete user"
        testId="user-delete-dialog"
        onCancel={close}
        onConfirm={() =>
          editing.kind === 'delete'
            ? callApi('DELETE', `/api/users/${encodeURIComponent(editing.user.name)}`)
            : Promise.resolve()
        }
      >
        <p>The user can no longer sign in, and any open session ends now.</p>
      </ConfirmDialog>
    </>
  );
}
