import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stateDirFrom } from '../storage/state-dir.js';
import { createClusterCa, createNodeCert } from './certificates.js';
import {
  CA_KEY_FILE,
  nodeCertFile,
  readCa,
  tlsDirIn,
  writeCa,
  writeNodePair,
} from './tls-files.js';

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `usage: quorate cert ca [--cluster NAME] [--dir DIR] [--force]
       quorate cert node NODENAME [--altname NAME]... [--dir DIR] [--force]

Makes the cluster CA, or a certificate for one node signed by it. DIR defaults to
tls/ in the state directory (QUORATE_STATE_DIR, else /var/lib/quorate). Keys are written
with mode 0600 and never printed.
`;

/** `quorate cert …`; returns the exit status. */
export async function runCertCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CommandIo,
): Promise<number> {
  let parsed: ReturnType<typeof parseCertArgs>;
  try {
    parsed = parseCertArgs(args);
  } catch (error) {
    io.stderr(`quorate cert: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const dir = values.dir ?? tlsDirIn(stateDirFrom(env));
  try {
    if (positionals[0] === 'ca' && positionals.length === 1) {
      return await makeCa(dir, values.cluster ?? 'quorate', values.force === true, io);
    }
    const nodeName = positionals[1];
    if (positionals[0] === 'node' && nodeName !== undefined && positionals.length === 2) {
      return await makeNode(dir, nodeName, values.altname ?? [], values.force === true, io);
    }
  } catch (error) {
    io.stderr(`quorate cert: ${(error as Error).message}\n`);
    return 1;
  }
  io.stderr(USAGE);
  return 2;
}

function parseCertArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      dir: { type: 'string' },
      altname: { type: 'string', multiple: true },
      force: { type: 'boolean' },
    },
  });
}

async function makeCa(
  dir: string,
  clusterName: string,
  force: boolean,
  io: CommandIo,
): Promise<number> {
  if (!force && existsSync(join(dir, CA_KEY_FILE))) {
    // Replacing the CA silently would lock every existing node out of the cluster.
    io.stderr(`quorate cert: ${join(dir, CA_KEY_FILE)} exists; --force replaces the cluster CA\n`);
    return 1;
  }
  writeCa(dir, await createClusterCa({ clusterName }));
  io.stdout(`cluster CA written to ${dir}\n`);
  return 0;
}

async function makeNode(
  dir: string,
  nodeName: string,
  altNames: readonly string[],
  force: boolean,
  io: CommandIo,
): Promise<number> {
  if (!force && existsSync(join(dir, nodeCertFile(nodeName)))) {
    io.stderr(`quorate cert: ${join(dir, nodeCertFile(nodeName))} exists; --force replaces it\n`);
    return 1;
  }
  const pair = await createNodeCert({ nodeName, altNames, ca: readCa(dir) });
  writeNodePair(dir, nodeName, pair);
  io.stdout(`certificate for node ${nodeName} written to ${dir}\n`);
  return 0;
}
