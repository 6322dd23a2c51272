import { useState } from 'react';
import { callApi } from '../api/api-client.js';
import { Dialog } from '../ui/dialog.js';
import { Field, NewPasswordField } from '../ui/field.js';
import { fieldError, formError } from '../ui/form-errors.js';
import { ErrorNotice } from '../ui/notice.js';
import { useFormSubmit } from '../ui/use-form-submit.js';

export function UserFormDialog(props: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [admin, setAdmin] = useState(false);

  const { error, setError, busy, submit } = useFormSubmit(async () => {
    await callApi('POST', '/api/users', { body: { name, password, admin } });
    close();
  });
  const close = () => {
    setName('');
    setPassword('');
    setAdmin(false);
    setError(null);
    props.onClose();
  };
  const general = formError(error, ['name', 'password']);
  return (
    <Dialog title="Add user" open={props.open} onClose={close} testId="user-form-dialog">
      <form onSubmit={submit}>
        <ErrorNotice testId="user-form-error" message={general} />
        <Field
          label="User name"
          testId="user-form-name"
          type="text"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(error, 'name')}
        />
        <NewPasswordField
          label="Password"
          testId="user-form-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'password')}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={admin}
            onChange={(e) => setAdmin(e.target.checked)}
            data-test="user-form-admin"
          />
          Administrator (every role on every cluster, and user management)
        </label>
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} data-test="user-form-submit">
            Add user
          </button>
        </div>
      </form>
    </Dialog>
  );
}
