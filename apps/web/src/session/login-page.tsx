import { useState } from 'react';
import { ApiError } from '../api/api-client.js';
import { Field } from '../ui/field.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { useFormSubmit } from '../ui/use-form-submit.js';
import { useSession } from './session.js';

export function LoginPage(props: { notice?: string | undefined }) {
  const { signIn } = useSession();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const { error: failure, busy, submit } = useFormSubmit(() => signIn(user, password));
  const error = failure === null ? null : describe(failure);

  return (
    <main>
      <form className="center-panel" onSubmit={submit} data-test="login-form">
        <h1>Sign in to the Quorate console</h1>
        {props.notice && !error && (
          <Notice tone="info" testId="login-notice">
            {props.notice}
          </Notice>
        )}
        <ErrorNotice testId="login-error" message={error} />
        <Field
          label="User name"
          testId="login-user"
          autoComplete="username"
          required
          value={user}
          onChange={(e) => setUser(e.target.value)}
          type="text"
          autoFocus
        />
        <Field
          label="Password"
          testId="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div className="actions">
          <button className="primary" type="submit" disabled={busy} data-test="login-submit">
            Sign in
          </button>
        </div>
      </form>
    </main>
  );
}

function describe(failure: unknown): string {
  if (failure instanceof ApiError && failure.code === 'CONSOLE_LOGIN_RATE_LIMITED') {
    return `Too many wrong passwords. Try again in ${failure.retryAfterSeconds ?? 60} seconds.`;
  }
  if (failure instanceof ApiError && failure.code === 'CONSOLE_LOGIN_FAILED') {
    return 'The user name or password is wrong.';
  }
  return failure instanceof Error ? failure.message : String(failure);
}
