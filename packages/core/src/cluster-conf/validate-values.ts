import type { ConfigIssue } from '@quorate/protocol';
import type { Located } from './model.js';
import { parseInteger } from './read.js';

/**
 * A *draft* is structurally sound (what an edit produces on the way to a complete cluster);
 * a *runnable* config is one a cluster can start with. Every draft rule is also a runnable rule.
 */
export type ValidationLevel = 'draft' | 'runnable';

export interface ValidationResult {
  readonly errors: ConfigIssue[];
  readonly warnings: ConfigIssue[];
}

/**
 * Collects findings for one validation run. Rules that only a runnable config must meet are
 * recorded with `runnableError` and dropped when a draft is judged.
 */
export class IssueSink {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];

  constructor(readonly level: ValidationLevel) {}

  error(path: string, rule: string, message: string): void {
    this.errors.push({ severity: 'error', path, rule, message });
  }

  runnableError(path: string, rule: string, message: string): void {
    if (this.level === 'runnable') this.error(path, rule, message);
  }

  warning(path: string, rule: string, message: string): void {
    this.warnings.push({ severity: 'warning', path, rule, message });
  }

  result(): ValidationResult {
    return { errors: this.errors, warnings: this.warnings };
  }
}

export function attrPath(at: Located | string, name: string): string {
  return `${typeof at === 'string' ? at : at.path}/@${name}`;
}

export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
  /** How the number is read, for the message: `milliseconds`, `seconds`, … */
  readonly unit?: string;
}

function rangeText(range: IntegerRange): string {
  const unit = range.unit ? ` ${range.unit}` : '';
  if (range.min !== undefined && range.max !== undefined) {
    return `between ${range.min} and ${range.max}${unit}`;
  }
  if (range.min !== undefined) return `at least ${range.min}${unit}`;
  return `at most ${range.max}${unit}`;
}

/**
 * Checks an optional integer attribute: present values must be decimal integers in range.
 * Returns the number when it is valid, so callers can build further rules on it.
 */
export function checkInteger(
  sink: IssueSink,
  at: Located,
  name: string,
  range: IntegerRange = {},
): number | undefined {
  const raw = at.attrs[name];
  if (raw === undefined) return undefined;
  const value = parseInteger(raw);
  if (value === undefined) {
    sink.error(attrPath(at, name), 'not-an-integer', `${name} must be an integer, not "${raw}"`);
    return undefined;
  }
  const low = range.min !== undefined && value < range.min;
  const high = range.max !== undefined && value > range.max;
  if (low || high) {
    sink.error(
      attrPath(at, name),
      'out-of-range',
      `${name} must be ${rangeText(range)}, not ${value}`,
    );
    return undefined;
  }
  return value;
}

const booleanWords = new Set(['1', '0', 'yes', 'no', 'on', 'off', 'true', 'false']);

/** RHCS reads 1/0, yes/no, on/off and true/false as flags. */
export function isBooleanWord(value: string): boolean {
  return booleanWords.has(value.trim().toLowerCase());
}

export function checkBoolean(sink: IssueSink, at: Located, name: string): void {
  const raw = at.attrs[name];
  if (raw === undefined || isBooleanWord(raw)) return;
  sink.error(
    attrPath(at, name),
    'not-a-boolean',
    `${name} must be a flag (1/0, yes/no, on/off, true/false), not "${raw}"`,
  );
}

export function checkOneOf(
  sink: IssueSink,
  at: Located,
  name: string,
  allowed: readonly string[],
): void {
  const raw = at.attrs[name];
  if (raw === undefined || allowed.includes(raw)) return;
  sink.error(
    attrPath(at, name),
    'not-one-of',
    `${name} must be one of ${allowed.join(', ')}, not "${raw}"`,
  );
}

/** A missing or blank attribute that the element cannot do without. */
export function missing(at: Located, name: string): boolean {
  const raw = at.attrs[name];
  return raw === undefined || raw.trim() === '';
}

/** rgmanager's time values: seconds, optionally with an s/m/h/d/w suffix (`expand_time`). */
export function isTimeValue(value: string): boolean {
  return /^\s*\d{1,12}\s*[smhdw]?\s*$/i.test(value);
}

export function checkTime(sink: IssueSink, at: Located, name: string): void {
  const raw = at.attrs[name];
  if (raw === undefined || isTimeValue(raw)) return;
  sink.error(
    attrPath(at, name),
    'not-a-time',
    `${name} must be a number of seconds, optionally followed by s, m, h, d or w, not "${raw}"`,
  );
}

/** Joins names for a message: `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
