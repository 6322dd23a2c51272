// `quorate support-report`: one archive with what a support engineer needs from this node
// (gather.ts), secrets redacted. The archive is a tar.gz made by the system's tar, mode 0600.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../ccs-tool/main.js';
import type { Env, RunOptions } from '../command-io.js';
import { gatherReport } from './gather.js';

export const supportReportUsage = `usage: quorate support-report [options]
Gathers this node's cluster.conf and backups (secrets redacted), what its agent reports
(clustat, cman_tool), its state directory's listing and recent logs into one .tar.gz.
  -o, --output FILE    the archive (default ./quorate-report-HOST-TIME.tar.gz)
  --config-dir DIR     cluster.conf's folder (default $QUORATE_CONFIG_DIR, else /etc/cluster)
  --state-dir DIR      the agent's state folder (default $QUORATE_STATE_DIR, else /var/lib/quorate)
  --log FILE           also take the last MiB of this log file; repeatable
  --journal-lines N    lines of the quorate-ricci unit's journal (default 5000; 0: none)
The agent's socket is $QUORATE_SOCKET, or /run/quorate/ricci.sock.
`;

const DEFAULT_JOURNAL_LINES = 5000;

export async function runSupportReport(
  argv: readonly string[],
  env: Env,
  io: CliIo,
  run: RunOptions & { readonly now?: Date } = {},
): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    io.stderr(`quorate support-report: ${(error as Error).message}\n${supportReportUsage}`);
    return 2;
  }
  if (values.help) {
    io.stdout(supportReportUsage);
    return 0;
  }
  const journalLines = Number(values['journal-lines'] ?? DEFAULT_JOURNAL_LINES);
  if (!Number.isInteger(journalLines) || journalLines < 0) {
    io.stderr(
      `quorate support-report: --journal-lines: ${values['journal-lines']} is not a whole number\n`,
    );
    return 2;
  }
  const now = run.now ?? new Date();
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const folder = `quorate-report-${hostname()}-${stamp}`;
  const output = resolve(values.output ?? `${folder}.tar.gz`);
  const files = await gatherReport({
    configDir: values['config-dir'] ?? (env.QUORATE_CONFIG_DIR || '/etc/cluster'),
    stateDir: values['state-dir'] ?? (env.QUORATE_STATE_DIR || '/var/lib/quorate'),
    logFiles: values.log ?? [],
    journalLines,
    env,
    run,
    now,
  });
  const work = mkdtempSync(join(tmpdir(), 'quorate-report-'));
  try {
    for (const file of files) {
      const path = join(work, folder, file.name);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, file.content, { mode: 0o600 });
    }
    // Created 0600 from the start: the archive holds the cluster's configuration.
    writeFileSync(output, '', { mode: 0o600 });
    chmodSync(output, 0o600);
    await tar(['-czf', output, '-C', work, folder]);
  } catch (error) {
    io.stderr(`quorate support-report: ${(error as Error).message}\n`);
    return 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  io.stdout(`${output}\n`);
  return 0;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      output: { type: 'string', short: 'o' },
      'config-dir': { type: 'string' },
      'state-dir': { type: 'string' },
      log: { type: 'string', multiple: true },
      'journal-lines': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function tar(args: readonly string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile('tar', [...args], (error, _stdout, stderr) => {
      if (error) reject(new Error(`tar: ${stderr.trim() || error.message}`));
      else resolvePromise();
    });
  });
}
