import { type NewAlertTarget, subscribableAlertKinds } from '@quorate/protocol';
import { useState } from 'react';
import { Field } from '../ui/field.js';
import { fieldError, formError } from '../ui/form-errors.js';
import { ErrorNotice } from '../ui/notice.js';
import { useFormSubmit } from '../ui/use-form-submit.js';
import { addTarget } from './alerts-api.js';

type Kind = (typeof subscribableAlertKinds)[number];

export const kindWords: Record<Kind | 'test', string> = {
  failover: 'Failover',
  fence: 'Fencing',
  quorum: 'Quorum lost or regained',
  'service-failed': 'Service failed',
  test: 'Test',
};

const fields = [
  'name',
  'url',
  'secret',
  'host',
  'port',
  'security',
  'user',
  'password',
  'from',
  'to',
  'events',
];

/** The form's values, as typed: the request is built from them on submit. */
interface Draft {
  kind: 'webhook' | 'email';
  name: string;
  url: string;
  secret: string;
  host: string;
  port: string;
  security: 'tls' | 'starttls' | 'none';
  user: string;
  password: string;
  from: string;
  to: string;
  events: Kind[];
}

const emptyDraft: Draft = {
  kind: 'webhook',
  name: '',
  url: '',
  secret: '',
  host: '',
  port: '587',
  security: 'starttls',
  user: '',
  password: '',
  from: '',
  to: '',
  events: [...subscribableAlertKinds],
};

function requestOf(d: Draft): NewAlertTarget {
  if (d.kind === 'webhook') {
    return {
      kind: 'webhook',
      name: d.name,
      url: d.url,
      events: d.events,
      ...(d.secret ? { secret: d.secret } : {}),
    };
  }
  return {
    kind: 'email',
    name: d.name,
    host: d.host,
    port: Number(d.port),
    security: d.security,
    from: d.from,
    to: d.to
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    events: d.events,
    ...(d.user ? { user: d.user } : {}),
    ...(d.password ? { password: d.password } : {}),
  };
}

/** The console names an address in the list as `to.N`: show it at the field. */
const toError = (error: unknown) =>
  fieldError(error, 'to') ?? [0, 1, 2, 3, 4].map((i) => fieldError(error, `to.${i}`)).find(Boolean);

function EmailFields(props: { draft: Draft; set: (d: Partial<Draft>) => void; error: unknown }) {
  const { draft, set, error } = props;
  return (
    <>
      <Field
        label="SMTP server"
        testId="target-host"
        type="text"
        required
        value={draft.host}
        onChange={(e) => set({ host: e.target.value })}
        error={fieldError(error, 'host')}
      />
      <Field
        label="Port"
        testId="target-port"
        type="text"
        inputMode="numeric"
        required
        value={draft.port}
        onChange={(e) => set({ port: e.target.value })}
        error={fieldError(error, 'port')}
      />
      <div className="field">
        <label htmlFor="target-security">Security</label>
        <select
          id="target-security"
          data-test="target-security"
          value={draft.security}
          onChange={(e) => set({ security: e.target.value as Draft['security'] })}
        >
          <option value="starttls">STARTTLS (required)</option>
          <option value="tls">TLS from the start (port 465)</option>
          <option value="none">None (a relay on this host only)</option>
        </select>
      </div>
      <Field
        label="SMTP user (optional)"
        testId="target-user"
        type="text"
        value={draft.user}
        onChange={(e) => set({ user: e.target.value })}
        error={fieldError(error, 'user')}
      />
      <Field
        label="SMTP password (optional)"
        testId="target-password"
        type="password"
        autoComplete="new-password"
        value={draft.password}
        onChange={(e) => set({ password: e.target.value })}
        help="Stored by the console; never shown again."
        error={fieldError(error, 'password')}
      />
      <Field
        label="From"
        testId="target-from"
        type="text"
        required
        value={draft.from}
        onChange={(e) => set({ from: e.target.value })}
        error={fieldError(error, 'from')}
      />
      <Field
        label="To (comma-separated)"
        testId="target-to"
        type="text"
        required
        value={draft.to}
        onChange={(e) => set({ to: e.target.value })}
        error={toError(error)}
      />
    </>
  );
}

function WebhookFields(props: { draft: Draft; set: (d: Partial<Draft>) => void; error: unknown }) {
  const { draft, set, error } = props;
  return (
    <>
      <Field
        label="URL"
        testId="target-url"
        type="text"
        required
        value={draft.url}
        placeholder="https://…"
        onChange={(e) => set({ url: e.target.value })}
        error={fieldError(error, 'url')}
        help="The console POSTs each alert here as JSON."
      />
      <Field
        label="Shared secret (optional)"
        testId="target-secret"
        type="password"
        autoComplete="new-password"
        value={draft.secret}
        onChange={(e) => set({ secret: e.target.value })}
        error={fieldError(error, 'secret')}
        help="At least 16 characters. Signs each alert (x-quorate-signature-256, HMAC-SHA256); never sent, never shown again."
      />
    </>
  );
}

/** Adds a webhook or an email target; errors stand at their fields. */
export function TargetForm(props: { cluster: string; onAdded: () => void }) {
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const toggle = (kind: Kind, on: boolean) =>
    set({ events: on ? [...draft.events, kind] : draft.events.filter((k) => k !== kind) });
  const { error, busy, submit } = useFormSubmit(async () => {
    await addTarget(props.cluster, requestOf(draft));
    setDraft(emptyDraft);
    props.onAdded();
  });
  const general = formError(error, fields);
  return (
    <form onSubmit={submit} data-test="target-form" className="alert-target-form">
      <ErrorNotice testId="target-form-error" message={general} />
      <fieldset className="alert-kind">
        <legend>Send by</legend>
        {(['webhook', 'email'] as const).map((kind) => (
          <label key={kind} className="check">
            <input
              type="radio"
              name="target-kind"
              value={kind}
              checked={draft.kind === kind}
              data-test={`target-kind-${kind}`}
              onChange={() => set({ kind })}
            />
            {kind === 'webhook' ? 'Webhook (HTTP POST)' : 'Email (SMTP)'}
          </label>
        ))}
      </fieldset>
      <Field
        label="Name"
        testId="target-name"
        type="text"
        required
        value={draft.name}
        onChange={(e) => set({ name: e.target.value })}
        error={fieldError(error, 'name')}
      />
      {draft.kind === 'webhook' ? (
        <WebhookFields draft={draft} set={set} error={error} />
      ) : (
        <EmailFields draft={draft} set={set} error={error} />
      )}
      <fieldset className="alert-kind">
        <legend>Alert on</legend>
        {subscribableAlertKinds.map((kind) => (
          <label key={kind} className="check">
            <input
              type="checkbox"
              checked={draft.events.includes(kind)}
              data-test={`target-event-${kind}`}
              onChange={(e) => toggle(kind, e.target.checked)}
            />
            {kindWords[kind]}
          </label>
        ))}
        {fieldError(error, 'events') && (
          <span className="error">{fieldError(error, 'events')}</span>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-test="target-submit">
          Add target
        </button>
      </div>
    </form>
  );
}
