import { Field, TextAreaField } from '../ui/field.js';
import type { FieldErrors, HostDraft } from './host-draft.js';

type TextKey = 'host' | 'sshPort' | 'user' | 'name' | 'hostKeySha256';

/** The host's one-line fields, each bound to its draft value and to the error at its key. */
const textFields: Record<
  TextKey,
  {
    label: string;
    testId: string;
    mono?: boolean;
    numeric?: boolean;
    placeholder?: string;
    help?: string;
  }
> = {
  host: {
    label: 'Address',
    testId: 'host-address',
    mono: true,
    help: 'Host name or IP address; the agents use it too.',
  },
  sshPort: { label: 'SSH port', testId: 'host-ssh-port', numeric: true },
  user: { label: 'User', testId: 'host-user' },
  name: {
    label: 'Node name (optional)',
    testId: 'host-name',
    mono: true,
    help: "Default: the host's own name.",
  },
  hostKeySha256: {
    label: 'Host key fingerprint (optional)',
    testId: 'host-key',
    mono: true,
    placeholder: 'SHA256:…',
    help: 'From ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host. Empty: trust the key it presents now (shown in the progress).',
  },
};

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
  const textField = (key: TextKey) => {
    const field = textFields[key];
    return (
      <Field
        label={field.label}
        testId={field.testId}
        type="text"
        className={field.mono ? 'mono' : undefined}
        inputMode={field.numeric ? 'numeric' : undefined}
        placeholder={field.placeholder}
        value={draft[key]}
        onChange={(e) => props.onChange({ ...draft, [key]: e.target.value })}
        error={at(key)}
        help={field.help}
      />
    );
  };
  return (
    <fieldset className="host-row" data-test="host-row">
      <legend>{props.title}</legend>
      <div className="host-grid">
        {textField('host')}
        {textField('sshPort')}
        {textField('user')}
        {textField('name')}
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
      {textField('hostKeySha256')}
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
