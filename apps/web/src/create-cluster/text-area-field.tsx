import { type TextareaHTMLAttributes, useId } from 'react';

/** A labelled multi-line input (a private key) with its help and its error at the field. */
export function TextAreaField(
  props: {
    label: string;
    testId: string;
    help?: string;
    error?: string | undefined;
  } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>,
) {
  const { label, testId, help, error, ...area } = props;
  const id = useId();
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        data-test={testId}
        className="mono"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...area}
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
