import { firstAdminName } from '@quorate/protocol';
import { useState } from 'react';
import { callApi } from '../api/api-client.js';
import { useSession } from '../session/session.js';
import { Field, NewPasswordField } from '../ui/field.js';
import { fieldError, formError } from '../ui/form-errors.js';
import { ErrorNotice } from '../ui/notice.js';
import { useFormSubmit } from '../ui/use-form-submit.js';

/** First start: the console has no user yet; whoever installed it sets the admin password. */
export function FirstStartPage() {
  const { setUp } = useSession();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm !== '' && confirm !== password ? 'The two passwords differ.' : undefined;

  const { error, busy, submit } = useFormSubmit(async () => {
    if (mismatch) return;
    await callApi('POST', '/api/setup', { body: { password } });
    setUp();
  });

  const general = formError(error, ['password']);
  return (
    <main>
      <form className="center-panel" onSubmit={submit} data-test="setup-form">
        <h1>Welcome to the Quorate console</h1>
        <p>
          This console has no users yet. Choose the password of the{' '}
          <span className="mono">{firstAdminName}</span> account; there is no default password.
        </p>
        <ErrorNotice testId="setup-error" message={general} />
        <NewPasswordField
          label="Admin password"
          testId="setup-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'password')}
          autoFocus
        />
        <Field
          label="Admin password again"
          testId="setup-confirm"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={mismatch}
        />
        <div className="actions">
          <button
            className="primary"
            type="submit"
            disabled={busy || !!mismatch}
            data-test="setup-submit"
          >
            Set admin password
          </button>
        </div>
      </form>
    </main>
  );
}
