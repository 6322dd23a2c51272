import { passwordMinLength, type UserSummary } from '@quorate/protocol';
import { type FormEvent, useState } from 'react';
import { callApi } from '../api/api-client.js';
import { Dialog } from '../ui/dialog.js';
import { Field } from '../ui/field.js';
import { fieldError, formError } from '../ui/form-errors.js';
import { Notice } from '../ui/notice.js';

export function PasswordDialog(props: { user: UserSummary; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await callApi('PATCH', `/api/users/${encodeURIComponent(props.user.name)}`, {
        body: { password },
      });
      props.onClose();
    } catch (failure) {
      setError(failure);
    }
  };
  const general = formError(error, ['password']);
  return (
    <Dialog
      title={`Reset the password of ${props.user.name}`}
      open
      onClose={props.onClose}
      testId="password-dialog"
    >
      <form onSubmit={submit}>
        {general && (
          <Notice tone="bad" testId="password-error">
            {general}
          </Notice>
        )}
        <Field
          label="New password"
          testId="password-new"
          type="password"
          autoComplete="new-password"
          required
          minLength={passwordMinLength}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          help="The user's open sessions end."
          error={fieldError(error, 'password')}
        />
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" data-test="password-submit">
            Set password
          </button>
        </div>
      </form>
    </Dialog>
  );
}
