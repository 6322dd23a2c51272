import {
  defaultScryptCost,
  hashPassword,
  type ScryptCost,
  unknownUserHash,
  verifyPassword,
} from './passwords.js';

/** Hashes at the console's configured cost; checks unknown users against a decoy hash. */
export class PasswordHasher {
  private decoy: Promise<string> | undefined;

  constructor(private readonly cost: ScryptCost = defaultScryptCost) {}

  hash(password: string): Promise<string> {
    return hashPassword(password, this.cost);
  }

  /** Checks `password` against `stored`, or against the decoy when there is no such user. */
  async verify(password: string, stored: string | undefined): Promise<boolean> {
    this.decoy ??= unknownUserHash(this.cost);
    const matches = await verifyPassword(password, stored ?? (await this.decoy));
    return stored !== undefined && matches;
  }
}
