import { passwordMinLength } from '@quorate/protocol';
import {
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
  useId,
} from 'react';

interface FieldProps {
  label: string;
  testId: string;
  help?: string;
  error?: string | undefined;
}

/** The label, help and error every field has, around its control (given the ids to use). */
function FieldFrame(
  props: FieldProps & {
    control: (id: string, described: Record<string, string | boolean | undefined>) => ReactNode;
  },
) {
  const { label, testId, help, error } = props;
  const id = useId();
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ');
  const described = {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {props.control(id, described)}
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

/** A labelled input with its help and its error standing at the field. */
export function Field(props: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  const { label, testId, help, error, ...input } = props;
  return (
    <FieldFrame
      {...{ label, testId, help, error }}
      control={(id, described) => <input id={id} data-test={testId} {...described} {...input} />}
    />
  );
}

/** A labelled multi-line input (a private key) with its help and its error at the field. */
export function TextAreaField(
  props: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>,
) {
  const { label, testId, help, error, ...area } = props;
  return (
    <FieldFrame
      {...{ label, testId, help, error }}
      control={(id, described) => (
        <textarea id={id} data-test={testId} className="mono" {...described} {...area} />
      )}
    />
  );
}

/** A password being chosen: the console's minimum length, said as help unless `help` is given. */
export function NewPasswordField(
  props: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'>,
) {
  return (
    <Field
      type="password"
      autoComplete="new-password"
      required
      minLength={passwordMinLength}
      help={`At least ${passwordMinLength} characters.`}
      {...props}
    />
  );
}
