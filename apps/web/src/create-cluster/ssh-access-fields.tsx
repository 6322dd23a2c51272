import type { UninstallAccess } from '@quorate/protocol';
import { Field } from '../ui/field.js';
import type { FieldErrors } from './host-draft.js';

export interface AccessDraft {
  readonly sshPort: string;
  readonly user: string;
  readonly password: string;
}

export const emptyAccess: AccessDraft = { sshPort: '22', user: 'root', password: '' };

export function accessInput(draft: AccessDraft): UninstallAccess {
  return {
    sshPort: draft.sshPort.trim() === '' ? 22 : Number(draft.sshPort.trim()),
    user: draft.user.trim(),
    auth: { kind: 'password', password: draft.password },
  };
}

/** SSH access for removing an agent: port, user and password (used once, never kept). */
export function SshAccessFields(props: {
  draft: AccessDraft;
  errors: FieldErrors;
  /** The errors' path prefix (`uninstall`, `uninstall.node2`). */
  path: string;
  onChange: (draft: AccessDraft) => void;
}) {
  const { draft, errors, path } = props;
  const set = (change: Partial<AccessDraft>) => props.onChange({ ...draft, ...change });
  return (
    <div className="host-grid">
      <Field
        label="SSH port"
        testId="access-ssh-port"
        type="text"
        inputMode="numeric"
        value={draft.sshPort}
        onChange={(e) => set({ sshPort: e.target.value })}
        error={errors[`${path}.sshPort`]}
      />
      <Field
        label="User"
        testId="access-user"
        type="text"
        value={draft.user}
        onChange={(e) => set({ user: e.target.value })}
        error={errors[`${path}.user`]}
      />
      <Field
        label="SSH password"
        testId="access-password"
        type="password"
        autoComplete="off"
        value={draft.password}
        onChange={(e) => set({ password: e.target.value })}
        error={errors[`${path}.auth.password`] ?? errors[`${path}.auth`]}
      />
    </div>
  );
}
