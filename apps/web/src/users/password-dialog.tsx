import type { UserSummary } from '@quorate/protocol';
import { useState } from 'react';
import { callApi } from '../api/api-client.js';
import { Dialog } from '../ui/dialog.js';
import { NewPasswordField } from '../ui/field.js';
import { fieldError, formError } from '../ui/form-errors.js';
import { ErrorNotice } from '../ui/notice.js';
import { useFormSubmit } from '../ui/use-form-submit.js';

export function PasswordDialog(props: { user: UserSummary; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const { error, submit } = useFormSubmit(async () => {
    await callApi('PATCH', `/api/users/${encodeURIComponent(props.user.name)}`, {
      body: { password },
    });
    props.onClose();
  });
  const general = formError(error, ['password']);
  return (
    <Dialog
      title={`Reset the password of ${props.user.name}`}
      open
      onClose={props.onClose}
      testId="password-dialog"
    >
      <form onSubmit={submit}>
        <ErrorNotice testId="password-error" message={general} />
        <NewPasswordField
          label="New password"
          testId="password-new"
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
