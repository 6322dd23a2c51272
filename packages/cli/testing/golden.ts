import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Compares `actual` with the golden file at `path` (trailing spaces matter: RHCS printed them).
 * `QUORATE_UPDATE_GOLDEN=1` rewrites the file instead, for a reviewed change of format.
 */
export function expectGolden(path: string, actual: string): void {
  if (process.env.QUORATE_UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `${path} is missing; run with QUORATE_UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
