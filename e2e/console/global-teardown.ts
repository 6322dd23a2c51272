import { rmSync } from 'node:fs';

/** Removes the run's console data directory (the server has stopped by now). */
export default function globalTeardown(): void {
  const dir = process.env.LUCI_E2E_DATA_DIR;
  if (dir?.includes('luci-e2e-')) rmSync(dir, { recursive: true, force: true });
}
