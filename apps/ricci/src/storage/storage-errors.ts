/**
 * A stored record failed its checksum or shape check somewhere a torn write cannot explain.
 * The node must stop: guessing would risk forgetting a vote or a committed entry.
 */
export class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly rule: string,
  ) {
    super(
      `${file}@${offset}: ${rule}; the node stops rather than guess. ` +
        'Restore the state directory from a backup, or wipe it and rejoin (ricci --rejoin).',
    );
  }
}

/** Another agent already holds the state directory. */
export class StateDirLockedError extends Error {
  override readonly name = 'StateDirLockedError';
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(
      `${dir}: state directory is in use by agent process ${holderPid}; refusing to start a second agent on it`,
    );
  }
}
