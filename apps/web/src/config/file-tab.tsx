import type { ConfigIssue, ConfigPreview } from '@quorate/protocol';
import { useState } from 'react';
import { useSignedIn } from '../session/session.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { ChangeReview } from './change-review.js';
import { checkConfigFile, downloadConfigFile, sendConfigFile } from './config-api.js';
import { type EditorState, formErrorOf } from './editor-state.js';
import { SectionHead } from './form-parts.js';
import type { ConfigEditor } from './use-config-editor.js';
import { useFileSend } from './use-file-send.js';

/** Hands `text` to the browser as a file download. */
function saveAs(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/xml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function Downloads(props: { cluster: string; version: number }) {
  const session = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const download = async (withSecrets: boolean) => {
    try {
      const file = await downloadConfigFile(props.cluster, withSecrets);
      const suffix = file.redacted ? '' : '.with-secrets';
      saveAs(`${props.cluster}-cluster.conf.${file.version}${suffix}.xml`, file.text);
      setError(null);
    } catch (e) {
      setError(formErrorOf(e).message);
    }
  };
  return (
    <div className="actions start">
      <button type="button" onClick={() => void download(false)} data-test="config-download">
        Download (secrets redacted)
      </button>
      {session.user.admin && (
        <button
          type="button"
          onClick={() => void download(true)}
          data-test="config-download-secrets"
          title="The real file with fence passwords; administrators only, recorded in the audit log"
        >
          Download with secrets (audited)
        </button>
      )}
      {error && (
        <span className="error" data-test="config-download-error">
          {error}
        </span>
      )}
    </div>
  );
}

function IssueList(props: { errors: readonly ConfigIssue[] }) {
  return (
    <Notice tone="bad" testId="upload-refused">
      <p>The file was refused; nothing was sent. The validator found:</p>
      <ul className="issue-list">
        {props.errors.map((issue) => (
          <li key={`${issue.path}|${issue.rule}|${issue.message}`} data-test="upload-error">
            <span className="mono" data-test="upload-error-path">
              {issue.path}
            </span>
            : {issue.message}{' '}
            <span className="mono muted" data-test="upload-error-rule">
              [{issue.rule}]
            </span>
          </li>
        ))}
      </ul>
    </Notice>
  );
}

/**
 * The raw cluster.conf: shown and downloaded with secrets redacted (admins may download the
 * real file, audited); an uploaded file is validated, shown as a diff, and only then sent. A
 * `********` in an upload keeps the committed secret.
 */
export function FileTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  const { cluster } = state;
  const [text, setText] = useState<string | null>(null);
  const [errors, setErrors] = useState<readonly ConfigIssue[]>([]);
  const [preview, setPreview] = useState<ConfigPreview | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { sending, send: sendReviewed } = useFileSend(editor, setFailure);
  const body = () => ({ baseVersion: state.view.version, text: text ?? '' });
  const check = async (file: File) => {
    const content = await file.text();
    setText(content);
    setFailure(null);
    try {
      const result = await checkConfigFile(cluster, {
        baseVersion: state.view.version,
        text: content,
      });
      setErrors(result.errors);
      setPreview(result.preview);
    } catch (e) {
      setErrors([]);
      setFailure(formErrorOf(e).message);
    }
  };
  const send = () =>
    sendReviewed(
      () => sendConfigFile(cluster, body()),
      () => setPreview(null),
    );
  return (
    <>
      <SectionHead title="cluster.conf" />
      <Downloads cluster={cluster} version={state.view.version} />
      {state.view.canEdit && (
        <div className="field">
          <label htmlFor="config-upload-input">Upload a cluster.conf</label>
          <input
            id="config-upload-input"
            type="file"
            accept=".conf,.xml,text/xml,application/xml"
            data-test="config-upload"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void check(file);
              e.target.value = '';
            }}
          />
          <span className="help">
            Checked by the cluster's validator and shown as a diff before anything is sent; its
            config_version must be greater than {state.view.version}.
          </span>
        </div>
      )}
      {errors.length > 0 && <IssueList errors={errors} />}
      <ErrorNotice testId="upload-failure" message={preview ? null : failure} />
      <pre className="config-text mono" data-test="config-text">
        {state.view.text}
      </pre>
      <ChangeReview
        preview={preview}
        sending={sending}
        error={preview ? failure : null}
        onSend={() => void send()}
        onCancel={() => setPreview(null)}
      />
    </>
  );
}
