import type { ConfigPreview } from '@quorate/protocol';
import { Dialog } from '../ui/dialog.js';
import { Notice } from '../ui/notice.js';

const marks = { same: ' ', removed: '-', added: '+' } as const;

/** The change as a cluster.conf diff (secrets redacted), lines numbered as in the new file. */
export function ConfigDiff(props: { hunks: ConfigPreview['hunks'] }) {
  const { hunks } = props;
  if (hunks.length === 0) {
    return (
      <p className="muted" data-test="config-diff-empty">
        Only config_version changes.
      </p>
    );
  }
  return (
    <div className="config-diff mono" data-test="config-diff">
      {hunks.map((hunk, h) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: hunks have no identity beyond their place
        <div className="diff-hunk" key={h}>
          {hunk.lines.map((line, i) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
              key={i}
              className="diff-line"
              data-kind={line.kind}
              data-test={`diff-${line.kind}`}
            >
              <span className="diff-mark" aria-hidden="true">
                {marks[line.kind]}
              </span>
              <span className="sr-only">{line.kind === 'same' ? '' : `${line.kind}: `}</span>
              {line.text}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

/** Review before "Send to cluster": the diff, the new version number, and what else happens. */
export function ChangeReview(props: {
  preview: ConfigPreview | null;
  sending: boolean;
  error: string | null;
  onSend: () => void;
  onCancel: () => void;
}) {
  const { preview } = props;
  return (
    <Dialog
      title="Review the change"
      open={preview !== null}
      onClose={props.onCancel}
      testId="config-review"
    >
      {preview && (
        <>
          <p>
            cluster.conf version <span className="mono">{preview.baseVersion}</span> →{' '}
            <span className="mono" data-test="config-review-version">
              {preview.version}
            </span>
          </p>
          <ConfigDiff hunks={preview.hunks} />
          {preview.votingChange && (
            <Notice tone="info" testId="config-review-voting">
              This changes the voting set ({preview.votingChange}). The agents commit it through
              joint consensus: until it is committed, every decision needs a quorum of the old and
              of the new configuration, so the cluster never has two majorities.
            </Notice>
          )}
          {preview.notes.map((note) => (
            <p key={note} className="muted" data-test="config-review-note">
              {note}
            </p>
          ))}
          {preview.warnings.map((w) => (
            <p key={`${w.path}${w.rule}`} className="muted" data-test="config-review-warning">
              warning: {w.message}
            </p>
          ))}
          {props.error && (
            <p className="form-error" role="alert" data-test="config-review-error">
              {props.error}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={props.onCancel} data-test="config-review-cancel">
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={props.sending}
              onClick={props.onSend}
              data-test="send-to-cluster"
            >
              {props.sending ? 'Sending…' : 'Send to cluster'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
