import type { AgentParameter } from '@quorate/core';
import { isSecretParameter } from '@quorate/core';
import { useId } from 'react';

/** One parameter's input, built from its meta-data: its type, default, options and description. */
function ParamInput(props: {
  parameter: AgentParameter;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  testId: string;
  secretSet: boolean;
}) {
  const { parameter: p, value, error, testId } = props;
  const id = useId();
  const help = [p.shortDescription, p.defaultValue && `Default: ${p.defaultValue}`]
    .filter(Boolean)
    .join(' · ');
  const common = {
    id,
    'data-test': testId,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': `${id}-help${error ? ` ${id}-error` : ''}`,
  } as const;
  const choices = p.type === 'boolean' ? ['1', '0'] : p.type === 'select' ? p.options : null;
  return (
    <div className="field">
      <label htmlFor={id}>
        <span className="mono">{p.name}</span>
        {p.required && <span> (required)</span>}
      </label>
      {choices ? (
        <select {...common} value={value} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{p.defaultValue ? `default (${p.defaultValue})` : '(not set)'}</option>
          {choices.map((c) => (
            <option key={c} value={c}>
              {p.type === 'boolean' ? (c === '1' ? 'yes (1)' : 'no (0)') : c}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={isSecretParameter(p.name) ? 'password' : 'text'}
          inputMode={p.type === 'integer' ? 'numeric' : undefined}
          autoComplete="off"
          value={value}
          placeholder={
            props.secretSet ? 'unchanged (type to replace)' : (p.defaultValue ?? undefined)
          }
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <span id={`${id}-help`} className="help">
        {help}
      </span>
      {error && (
        <span id={`${id}-error`} className="error" data-test={`${testId}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * A form's parameters from an agent's meta-data: required ones (and the primary) first, the rest
 * folded under "Advanced", each with its description and default.
 */
export function ParamFields(props: {
  parameters: readonly AgentParameter[];
  values: Readonly<Record<string, string>>;
  onChange: (values: Record<string, string>) => void;
  errorFor: (name: string) => string | undefined;
  testPrefix: string;
  /** Secrets the committed file holds: shown empty, kept unless typed again. */
  secretsSet?: ReadonlySet<string>;
}) {
  const main = props.parameters.filter((p) => p.required || p.primary);
  const advanced = props.parameters.filter((p) => !p.required && !p.primary);
  const input = (p: AgentParameter) => (
    <ParamInput
      key={p.name}
      parameter={p}
      value={props.values[p.name] ?? ''}
      onChange={(value) => props.onChange({ ...props.values, [p.name]: value })}
      error={props.errorFor(p.name)}
      testId={`${props.testPrefix}${p.name}`}
      secretSet={props.secretsSet?.has(p.name) ?? false}
    />
  );
  const advancedHasError = advanced.some((p) => props.errorFor(p.name));
  return (
    <>
      {main.map(input)}
      {advanced.length > 0 && (
        <details
          className="advanced"
          data-test={`${props.testPrefix}advanced`}
          open={advancedHasError || undefined}
        >
          <summary>Advanced parameters ({advanced.length})</summary>
          {advanced.map(input)}
        </details>
      )}
    </>
  );
}

/** Parameters of an agent the console has no meta-data for: one `name=value` per line. */
export function FreeParams(props: {
  values: Readonly<Record<string, string>>;
  onChange: (values: Record<string, string>) => void;
  testId: string;
  error: string | undefined;
}) {
  const id = useId();
  const text = Object.entries(props.values)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  return (
    <div className="field">
      <label htmlFor={id}>Parameters (one name=value per line)</label>
      <textarea
        id={id}
        data-test={props.testId}
        rows={4}
        className="mono"
        defaultValue={text}
        onChange={(e) => {
          const values: Record<string, string> = {};
          for (const line of e.target.value.split('\n')) {
            const at = line.indexOf('=');
            if (at > 0) values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
          }
          props.onChange(values);
        }}
      />
      <span className="help">
        The console has no meta-data for this agent: its parameters are not checked here.
      </span>
      {props.error && (
        <span className="error" data-test={`${props.testId}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}
