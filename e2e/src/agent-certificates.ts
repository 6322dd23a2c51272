// Certificates for agents on test hosts, made with `bin/quorate cert` in the root namespace (it
// only writes files) and copied into each host's state folder, where `bin/ricci` looks for them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPaths } from './layout.js';
import type { TestNetwork } from './test-network.js';

const quorate = join(dirname(fileURLToPath(import.meta.url)), '../../bin/quorate');

/** A cluster CA in the run folder and a certificate for each of `nodeNames`, on its host. */
export function writeAgentCertificates(
  network: TestNetwork,
  clusterName: string,
  nodeNames: readonly string[],
): void {
  const caDir = join(runPaths(network.runId).root, 'ca');
  mkdirSync(caDir, { recursive: true });
  const cert = (args: string[]) => {
    const result = spawnSync(process.execPath, [quorate, 'cert', ...args, '--dir', caDir]);
    if (result.status !== 0) throw new Error(`quorate cert ${args.join(' ')}: ${result.stderr}`);
  };
  cert(['ca', '--cluster', clusterName]);
  for (const name of nodeNames) {
    cert(['node', name]);
    const tls = join(network.host(name).paths.mounts['/var/lib/quorate'], 'tls');
    mkdirSync(tls, { recursive: true, mode: 0o700 });
    for (const file of ['ca.crt', `node-${name}.crt`, `node-${name}.key`]) {
      writeFileSync(join(tls, file), readFileSync(join(caDir, file)), { mode: 0o600 });
    }
  }
}
