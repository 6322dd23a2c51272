// OCF exit codes 0–7 (rgmanager's res-ocf.h, the OCF resource-agent API) as typed outcomes,
// plus the ways a run can end without an exit code.

export const ocfCodes = {
  success: 0,
  errGeneric: 1,
  errArgs: 2,
  unimplemented: 3,
  errPerm: 4,
  notInstalled: 5,
  notConfigured: 6,
  notRunning: 7,
} as const;

export type OcfCodeName = keyof typeof ocfCodes;

export type OcfOutcome =
  | { readonly kind: 'ocf'; readonly name: OcfCodeName; readonly code: number }
  /** An exit code outside 0–7: a generic error that keeps the code. */
  | { readonly kind: 'unknown-code'; readonly code: number; readonly message: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'signal'; readonly signal: string }
  /** The caller aborted the run (shutdown): the process group was killed. */
  | { readonly kind: 'cancelled' }
  /** The agent could not be found or started. */
  | { readonly kind: 'not-started'; readonly message: string };

const namesByCode = new Map<number, OcfCodeName>(
  Object.entries(ocfCodes).map(([name, code]) => [code, name as OcfCodeName]),
);

export function ocfOutcomeOfCode(code: number): OcfOutcome {
  const name = namesByCode.get(code);
  if (name !== undefined) return { kind: 'ocf', name, code };
  return {
    kind: 'unknown-code',
    code,
    message: `exit code ${code} is not an OCF code (0-7): treated as a generic error`,
  };
}

/** Whether the outcome means the action did what was asked (status: the resource runs). */
export function isOcfSuccess(outcome: OcfOutcome): boolean {
  return outcome.kind === 'ocf' && outcome.name === 'success';
}

/** One line for logs and the console. */
export function describeOcfOutcome(outcome: OcfOutcome): string {
  switch (outcome.kind) {
    case 'ocf':
      return `${outcome.name} (${outcome.code})`;
    case 'unknown-code':
      return outcome.message;
    case 'timeout':
      return `timed out after ${outcome.timeoutMs} ms (process group killed)`;
    case 'signal':
      return `killed by ${outcome.signal}`;
    case 'cancelled':
      return 'cancelled (process group killed)';
    case 'not-started':
      return `not started: ${outcome.message}`;
  }
}
