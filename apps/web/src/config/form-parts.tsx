import type { ReactNode } from 'react';
import { Dialog } from '../ui/dialog.js';
import { ErrorNotice } from '../ui/notice.js';

/** A configuration form in a dialog: the refusal that belongs to no field on top, Save below. */
export function EditDialog(props: {
  title: string;
  open: boolean;
  testId: string;
  busy: boolean;
  generalError: string | undefined;
  onClose: () => void;
  onSave: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog title={props.title} open={props.open} onClose={props.onClose} testId={props.testId}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSave();
        }}
        noValidate
      >
        <ErrorNotice testId={`${props.testId}-error`} message={props.generalError} />
        {props.children}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={props.busy}
            data-test={`${props.testId}-save`}
          >
            {props.busy ? 'Checking…' : 'Review change'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A section's heading with its "Add" button (for users who may change the configuration). */
export function SectionHead(props: {
  title: string;
  addLabel?: string;
  addTestId?: string;
  onAdd?: (() => void) | undefined;
}) {
  return (
    <div className="section-head">
      <h2>{props.title}</h2>
      {props.onAdd && (
        <button type="button" className="primary" onClick={props.onAdd} data-test={props.addTestId}>
          {props.addLabel}
        </button>
      )}
    </div>
  );
}

/** A plain labelled select. */
export function SelectField(props: {
  label: string;
  testId: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  error?: string | undefined;
  help?: string;
  disabled?: boolean;
}) {
  const id = `${props.testId}-input`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        data-test={props.testId}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.help && <span className="help">{props.help}</span>}
      {props.error && (
        <span className="error" data-test={`${props.testId}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/** A labelled checkbox. */
export function CheckField(props: {
  label: string;
  testId: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  help?: string;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        data-test={props.testId}
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.label}
      {props.help && <span className="help"> — {props.help}</span>}
    </label>
  );
}
