// clusvcadm's result codes and strings (rgmanager's rg_error_strings), so the CLI can print
// and exit exactly as RHCS administrators expect.

export const rgResults = {
  success: { code: 0, message: 'Success' },
  failure: { code: -1, message: 'Failure' },
  aborted: { code: -2, message: 'Aborted; service failed' },
  notMastered: { code: -3, message: 'Service not mastered locally' },
  noService: { code: -4, message: 'Service does not exist' },
  deadlock: { code: -5, message: 'Operation would cause a deadlock' },
  tryAgain: { code: -6, message: 'Temporary failure; try again' },
  dependency: { code: -7, message: 'Operation violates dependency rule' },
  invalid: { code: -8, message: 'Invalid operation for resource' },
  needsQuorum: { code: -9, message: 'Operation requires quorum' },
  alreadyRunning: { code: -10, message: 'Service is already running' },
  frozen: { code: -11, message: 'Failure: Service is frozen' },
  targetDead: { code: -12, message: 'Target node dead / nonexistent' },
  fencePending: { code: -13, message: 'Fencing operation pending; try again later' },
  scriptError: { code: -14, message: 'S/Lang Script Error' },
  notRunnable: { code: -15, message: 'Service not runnable' },
  notRunnableExclusive: { code: -16, message: 'Service not runnable: cannot run exclusive' },
  runningOnOriginal: { code: -17, message: 'Failed; service running on original owner' },
  // Sic: rgmanager's spelling, kept so scripts that match on it keep working.
  permissionDenied: { code: -18, message: 'Permissing denied' },
} as const;

export type RgResultName = keyof typeof rgResults;
export type RgResult = (typeof rgResults)[RgResultName];

/** clusvcadm's exit status for a result: negative codes wrap to 256 + code; "already running" is 0. */
export function clusvcadmExitCode(code: number): number {
  if (code === rgResults.alreadyRunning.code) return 0;
  return code < 0 ? 256 + code : code;
}
