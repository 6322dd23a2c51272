// The fence-agents stdin contract (FenceAgentAPI; fenced's libfence/agent.c): `key=value`
// lines, device attributes first, then the node's per-device arguments (its `name` skipped),
// `nodename` when not given, and the action last, since the last value of a key wins.

export const fenceActions = [
  'off',
  'on',
  'reboot',
  'status',
  'list',
  'monitor',
  'metadata',
] as const;
export type FenceAction = (typeof fenceActions)[number];

export interface FenceInputParts {
  readonly device: Readonly<Record<string, string>>;
  readonly nodeArgs?: Readonly<Record<string, string>>;
  readonly nodename?: string;
  readonly action: FenceAction;
}

// Keys whose values never reach a log: passwords, keys, community strings, tokens.
const secretKey = /passw|secret|token|community|_key$|^key$|private/i;

export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** The ordered pairs; throws naming the key when a key or value could forge another line. */
export function fenceInputPairs(parts: FenceInputParts): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const add = (key: string, value: string, where: string) => {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      throw new Error(`${where}/@${key}: not a fence agent argument name`);
    }
    if (/[\r\n\0]/.test(value)) {
      throw new Error(`${where}/@${key}: a value may not contain a line break or NUL`);
    }
    pairs.push([key, value]);
  };
  for (const [k, v] of Object.entries(parts.device)) {
    if (k !== 'name' && k !== 'agent') add(k, v, 'device');
  }
  for (const [k, v] of Object.entries(parts.nodeArgs ?? {})) {
    if (k !== 'name') add(k, v, 'node');
  }
  const hasNodename = pairs.some(([k]) => k === 'nodename');
  if (parts.nodename !== undefined && !hasNodename) add('nodename', parts.nodename, 'node');
  add('action', parts.action, 'request');
  return pairs;
}

export function fenceInputText(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${k}=${v}\n`).join('');
}

/** The same lines with secret values replaced, for logs. */
export function redactedFenceInput(pairs: ReadonlyArray<readonly [string, string]>): string {
  return fenceInputText(pairs.map(([k, v]) => [k, isSecretKey(k) ? '***' : v] as const));
}

/** Output text with every secret value blanked out (an agent may echo its arguments). */
export function redactSecrets(
  text: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): string {
  let out = text;
  for (const [k, v] of pairs) {
    if (isSecretKey(k) && v.length > 0) out = out.split(v).join('***');
  }
  return out;
}
