import type { ConfigHistoryDiff, ConfigHistoryEntry, ConfigPreview } from '@quorate/protocol';
import { useEffect, useState } from 'react';
import { DataTable, EmptyState } from '../ui/data-table.js';
import { ErrorNotice } from '../ui/notice.js';
import { ChangeReview, ConfigDiff } from './change-review.js';
import { loadConfigHistory, loadHistoryDiff, rollbackConfig } from './config-api.js';
import { type EditorState, formErrorOf } from './editor-state.js';
import { SectionHead, SelectField } from './form-parts.js';
import type { ConfigEditor } from './use-config-editor.js';
import { useFileSend } from './use-file-send.js';

const sourceWords = {
  edit: 'edited',
  upload: 'uploaded',
  rollback: 'rolled back',
  seen: 'seen committed',
} as const;

function HistoryTable(props: {
  entries: readonly ConfigHistoryEntry[];
  current: number;
  canEdit: boolean;
  onRollback: (version: number) => void;
}) {
  return (
    <DataTable
      testId="history-table"
      headers={['Version', 'When', 'Who', 'How', 'What changed']}
      actions={props.canEdit}
      rows={props.entries}
      renderRow={(e) => (
        <tr key={e.version} data-test="history-row" data-version={e.version}>
          <td className="mono">{e.version}</td>
          <td className="mono">{new Date(e.recordedAt).toLocaleString()}</td>
          <td>{e.recordedBy ?? <span className="muted">outside this console</span>}</td>
          <td>{sourceWords[e.source]}</td>
          <td data-test="history-summary">{e.summary}</td>
          {props.canEdit && (
            <td className="row-actions">
              {e.version !== props.current && (
                <button
                  type="button"
                  onClick={() => props.onRollback(e.version)}
                  data-test="history-rollback"
                >
                  Roll back to {e.version}
                </button>
              )}
            </td>
          )}
        </tr>
      )}
    />
  );
}

/** Two versions to compare, and their diff. */
function VersionDiff(props: { cluster: string; entries: readonly ConfigHistoryEntry[] }) {
  const versions = props.entries.map((e) => e.version);
  const [from, setFrom] = useState(versions[1] ?? versions[0] ?? 0);
  const [to, setTo] = useState(versions[0] ?? 0);
  const [diff, setDiff] = useState<ConfigHistoryDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (from === 0 || to === 0) return;
    loadHistoryDiff(props.cluster, from, to)
      .then((d) => {
        setDiff(d);
        setError(null);
      })
      .catch((e) => setError(formErrorOf(e).message));
  }, [props.cluster, from, to]);
  const options = versions.map((v) => ({ value: String(v), label: `version ${v}` }));
  return (
    <section aria-label="Compare versions" data-test="history-compare">
      <h3>Compare two versions</h3>
      <div className="compare-row">
        <SelectField
          label="From"
          testId="history-from"
          value={String(from)}
          options={options}
          onChange={(v) => setFrom(Number(v))}
        />
        <SelectField
          label="To"
          testId="history-to"
          value={String(to)}
          options={options}
          onChange={(v) => setTo(Number(v))}
        />
      </div>
      <ErrorNotice testId="history-diff-error" message={error} />
      {diff && diff.from === from && diff.to === to && <ConfigDiff hunks={diff.hunks} />}
    </section>
  );
}

/**
 * Every version this console committed or saw committed: who, when, what; a diff between any
 * two; and rollback, which commits the old text as the next version after a review.
 */
export function HistoryTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  const { cluster } = state;
  const current = state.view.version;
  const [entries, setEntries] = useState<readonly ConfigHistoryEntry[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [rollback, setRollback] = useState<{ version: number; preview: ConfigPreview } | null>(
    null,
  );
  const [failure, setFailure] = useState<string | null>(null);
  const { sending, send: sendReviewed } = useFileSend(editor, setFailure);
  useEffect(() => {
    // Read again whenever the committed version moves (this console's change or another's).
    void current;
    loadConfigHistory(cluster)
      .then((h) => setEntries(h.entries))
      .catch((e) => setLoadError(formErrorOf(e).message));
  }, [cluster, current]);
  const review = async (version: number) => {
    setFailure(null);
    try {
      setRollback({ version, preview: await rollbackConfig(cluster, version, current, 'preview') });
    } catch (e) {
      setFailure(formErrorOf(e).message);
    }
  };
  const send = async () => {
    if (!rollback) return;
    await sendReviewed(
      () => rollbackConfig(cluster, rollback.version, current, 'commit'),
      () => setRollback(null),
    );
  };
  return (
    <>
      <SectionHead title="History" />
      <ErrorNotice testId="rollback-failure" message={rollback ? null : failure} />
      <ErrorNotice testId="history-load-error" message={loadError} />
      {entries && entries.length === 0 && (
        <EmptyState testId="history-empty">
          No version recorded yet — the console records each version it commits or sees committed.
        </EmptyState>
      )}
      {entries && entries.length > 0 && (
        <>
          <HistoryTable
            entries={entries}
            current={current}
            canEdit={state.view.canEdit}
            onRollback={(v) => void review(v)}
          />
          {entries.length > 1 && (
            <VersionDiff key={entries[0]!.version} cluster={cluster} entries={entries} />
          )}
        </>
      )}
      <ChangeReview
        preview={rollback?.preview ?? null}
        sending={sending}
        error={rollback ? failure : null}
        onSend={() => void send()}
        onCancel={() => setRollback(null)}
      />
    </>
  );
}
