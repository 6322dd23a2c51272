import { type ReactNode, useState } from 'react';
import { Dialog } from './dialog.js';
import { ErrorNotice } from './notice.js';

/** Asks before an action, naming its object; shows the console's refusal if any. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  /** A destructive action's button is red (the default); a routine one is the primary colour. */
  danger?: boolean;
  testId: string;
  onCancel: () => void;
  onConfirm: () => Promise<unknown>;
  children: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onCancel();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} open={props.open} onClose={props.onCancel} testId={props.testId}>
      {props.children}
      <ErrorNotice testId={`${props.testId}-error`} message={error} />
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={props.danger === false ? 'primary' : 'danger primary'}
          disabled={busy}
          onClick={() => void confirm()}
          data-test={`${props.testId}-confirm`}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
