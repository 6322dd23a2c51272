import { Field, TextAreaField } from '../ui/field.js';
import type { FieldErrors, HostDraft } from './host-draft.js';

/** One host of the new cluster: where to reach it over SSH, how to log in, how to trust it. */
export function HostRow(props: {
  /** Where the form's errors are about this host: `nodes.2` (create) or `node` (add node). */
  path: string;
  title: string;
  draft: HostDraft;
  errors: FieldErrors;
  canRemove: boolean;
  onChange: (draft: HostDraft) => void;
  onRemove: () => void;
}) {
  const { draft, errors } = props;
  const at = (field: string) => errors[`${props.path}.${field}`];
  const set = (change: Partial<HostDraft>) => props.onChange({ ...draft, ...change });
  return (
    <fieldset className="host-row" data-test="host-row">
      <legend>{props.title}</legend>
      <div className="host-grid">
        <Field
          label="Address"
          testId="host-address"
          type="text"
          className="mono"
          value={draft.host}
          onChange={(e) => set({ host: e.target.value })}
          error={at('host')}
          help="Host name or IP address; the agents use it too."
        />
        <Field
          label="SSH port"
          testId="host-ssh-port"
          type="text"
          inputMode="numeric"
          value={draft.sshPort}
          onChange={(e) => set({ sshPort: e.target.value })}
          error={at('sshPort')}
        />
        <Field
          label="User"
          testId="host-user"
          type="text"
          value={draft.user}
          onChange={(e) => set({ user: e.target.value })}
          error={at('user')}
        />
        <Field
          label="Node name (optional)"
          testId="host-name"
          type="text"
          className="mono"
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          error={at('name')}
          help="Default: the host's own name."
        />
      </div>
      <div className="field">
        <span className="field-label" id={`auth-${draft.key}`}>
          Log in with
        </span>
        <div className="segmented" role="radiogroup" aria-labelledby={`auth-${draft.key}`}>
          {(['password', 'private-key'] as const).map((kind) => (
            <label key={kind} className="check">
              <input
                type="radio"
                name={`auth-${draft.key}`}
                data-test={`host-auth-${kind}`}
                checked={draft.authKind === kind}
                onChange={() => set({ authKind: kind })}
              />
              {kind === 'password' ? 'Password' : 'Private key'}
            </label>
          ))}
        </div>
      </div>
      {draft.authKind === 'password' ? (
        <Field
          label="SSH password"
          testId="host-password"
          type="password"
          autoComplete="off"
          value={draft.password}
          onChange={(e) => set({ password: e.target.value })}
          error={at('auth.password') ?? at('auth')}
          help="Used for this installation only; the console does not keep it."
        />
      ) : (
        <TextAreaField
          label="SSH private key"
          testId="host-private-key"
          rows={4}
          spellCheck={false}
          value={draft.privateKey}
          onChange={(e) => set({ privateKey: e.target.value })}
          error={at('auth.privateKey') ?? at('auth')}
          help="PEM or OpenSSH format; used for this installation only."
        />
      )}
      <Field
        label="Host key fingerprint (optional)"
        testId="host-key"
        type="text"
        className="mono"
        placeholder="SHA256:…"
        value={draft.hostKeySha256}
        onChange={(e) => set({ hostKeySha256: e.target.value })}
        error={at('hostKeySha256')}
        help="From ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host. Empty: trust the key it presents now (shown in the progress)."
      />
      {props.canRemove && (
        <div className="actions">
          <button type="button" onClick={props.onRemove} data-test="host-remove">
            Remove {props.title.toLowerCase()}
          </button>
        </div>
      )}
    </fieldset>
  );
}
