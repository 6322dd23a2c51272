// OCF meta-data writes action timeouts and intervals as durations: a number with an optional
// unit (`20`, `20s`, `1m`, `500ms`, `1h`, `0`). A bare number is seconds, as in the OCF spec.

const unitMs: Readonly<Record<string, number>> = {
  ms: 1,
  msec: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
};

/** Milliseconds for an OCF duration, or undefined when the text is not one. */
export function parseOcfDurationMs(text: string): number | undefined {
  const m = /^\s*(\d{1,9}(?:\.\d{1,6})?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase();
  const factor = unit === '' ? 1000 : unitMs[unit];
  if (factor === undefined) return undefined;
  return Math.round(Number.parseFloat(m[1]!) * factor);
}
