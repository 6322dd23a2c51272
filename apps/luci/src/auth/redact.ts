/** Keys whose values never reach the audit log or the server log. */
const secretKey = /pass(word|phrase)?|secret|token|key|credential/i;

export const redactedMark = '[redacted]';

/** A copy of `value` with every secret-named field replaced, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      secretKey.test(key) ? redactedMark : redactSecrets(inner),
    ]),
  );
}
