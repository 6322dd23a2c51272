import { type InputHTMLAttributes, useId } from 'react';

/** A labelled input with its help and its error standing at the field. */
export function Field(
  props: {
    label: string;
    testId: string;
    help?: string;
    error?: string | undefined;
  } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>,
) {
  const { label, testId, help, error, ...input } = props;
  const id = useId();
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-test={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {help && (
        <span id={`${id}-help`} className="help">
          {help}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error" data-test={`${testId}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
