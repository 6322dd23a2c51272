// The agent archive that `pnpm bundle` builds (`pnpm test` builds it before the tests): its name,
// checksum and contents, the bundled commands run straight from it, and its install.sh.
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { unpackBundle } from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveNames, bundleDir, DOC_DIR, OCF_AGENTS_DIR, UNIT_PATH } from './archive-layout.js';

const names = archiveNames();
const packageVersion: string = JSON.parse(
  readFileSync(join(bundleDir, '..', 'package.json'), 'utf8'),
).version;
const agentsSource = join(bundleDir, '..', '..', '..', 'packages', 'agents', 'agents');
const AGENTS = ['ip', 'script', 'fs', 'netfs', 'nfsexport', 'nfsclient'];
const COMMAND_LINKS = [
  'ricci',
  'ccs_tool',
  'clustat',
  'clusvcadm',
  'cman_tool',
  'fence_ack_manual',
  'fence_node',
];

interface ArchiveEntry {
  readonly mode: string;
  readonly owner: string;
  readonly path: string;
  readonly linkTarget: string | undefined;
}

/** `tar -tv` lines: mode, owner/group, size, date, time, path[ -> target]. */
function listArchive(): ArchiveEntry[] {
  const listing = run('tar', ['-tvzf', names.archivePath]);
  return listing.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const match = /^(\S+) (\S+)\s+\d+ \S+ \S+ (.+?)(?: -> (.+))?$/.exec(line);
      if (!match) throw new Error(`tar -tv line not understood: ${line}`);
      return { mode: match[1]!, owner: match[2]!, path: match[3]!, linkTarget: match[4] };
    });
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { encoding: 'utf8', env });
  if (result.error) throw result.error;
  return result;
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** systemd's own check of the unit; outside CI a machine without it skips that one test. */
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!hasSystemdAnalyze) {
  if (process.env.CI === 'true') throw new Error('CI=true but systemd-analyze is missing');
  console.warn('skipping the unit check: systemd-analyze is missing');
}

let scratch: string;
let unpacked: string;

beforeAll(async () => {
  if (!existsSync(names.archivePath)) {
    throw new Error(`${names.archivePath} is missing: run \`pnpm bundle\` first (pnpm test does)`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'quorate-bundle-'));
  unpacked = await unpackBundle(names.archivePath, join(scratch, 'unpacked'));
}, 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the agent archive', () => {
  it('is named by the package version and platform, with a matching checksum file', () => {
    expect(basename(names.archivePath)).toBe(`quorate-agent-${packageVersion}-linux-x64.tar.gz`);
    const digest = createHash('sha256').update(readFileSync(names.archivePath)).digest('hex');
    expect(readFileSync(names.checksumPath, 'utf8')).toBe(
      `${digest}  ${basename(names.archivePath)}\n`,
    );
    const check = spawnSync('sha256sum', ['-c', basename(names.checksumPath)], {
      cwd: join(names.archivePath, '..'),
      encoding: 'utf8',
    });
    expect(check.stdout.trim()).toBe(`${basename(names.archivePath)}: OK`);
  });

  it('holds exactly the executable, its links, the agents, the unit, install.sh and docs', () => {
    const top = `quorate-agent-${packageVersion}-linux-x64/`;
    const entries = listArchive();
    expect(entries.every((entry) => entry.path.startsWith(top))).toBe(true);
    expect(entries.every((entry) => entry.owner === '0/0')).toBe(true);
    const files = entries
      .filter((entry) => !entry.mode.startsWith('d'))
      .map((entry) => [entry.path.slice(top.length), entry.mode, entry.linkTarget ?? '']);
    const agents = AGENTS.map((agent) => [`${OCF_AGENTS_DIR}/${agent}`, '-rwxr-xr-x', '']);
    expect(files.sort()).toEqual(
      [
        ['README', '-rw-r--r--', ''],
        ['VERSION', '-rw-r--r--', ''],
        ['bin/quorate', '-rwxr-xr-x', ''],
        ...COMMAND_LINKS.map((name) => [`bin/${name}`, 'lrwxrwxrwx', 'quorate']),
        ['install.sh', '-rwxr-xr-x', ''],
        ...agents,
        [`${OCF_AGENTS_DIR}/lib/ocf-agent.sh`, '-rw-r--r--', ''],
        [UNIT_PATH, '-rw-r--r--', ''],
        [`${DOC_DIR}/LICENSE.node`, '-rw-r--r--', ''],
        [`${DOC_DIR}/THIRD-PARTY-NOTICES`, '-rw-r--r--', ''],
      ].sort(),
    );
    expect(readFileSync(join(unpacked, 'VERSION'), 'utf8')).toBe(`${packageVersion}\n`);
  });

  it('ships the built-in agents as packages/agents has them', () => {
    for (const agent of [...AGENTS, 'lib/ocf-agent.sh']) {
      const shipped = readFileSync(join(unpacked, OCF_AGENTS_DIR, agent));
      expect(shipped.equals(readFileSync(join(agentsSource, agent))), agent).toBe(true);
    }
  });

  it("carries Node.js's license and those of the bundled packages", () => {
    expect(readFileSync(join(unpacked, DOC_DIR, 'LICENSE.node'), 'utf8')).toContain('Node.js');
    const notices = readFileSync(join(unpacked, DOC_DIR, 'THIRD-PARTY-NOTICES'), 'utf8');
    for (const name of ['ws', 'zod', '@peculiar/x509', 'fast-xml-parser', 'reflect-metadata']) {
      expect(notices, name).toMatch(new RegExp(`^== ${name} \\d+\\.\\d+\\.\\d+ \\(`, 'm'));
    }
    expect(notices).not.toMatch(/^== @quorate\//m);
  });
});

describe('the bundled commands', () => {
  // No PATH to find a Node.js on; the test hosts hide the machine's Node.js altogether.
  const bundled = (command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
    run(join(unpacked, 'bin', command), args, { PATH: '/nonexistent', ...env });

  it('ricci --version and quorate --version print the package version', () => {
    expect(bundled('ricci', ['--version'])).toMatchObject({
      status: 0,
      stdout: `ricci ${packageVersion}\n`,
      stderr: '',
    });
    expect(bundled('quorate', ['--version'])).toMatchObject({
      status: 0,
      stdout: `quorate ${packageVersion}\n`,
    });
  });

  it('ccs_tool edits a cluster.conf offline, by its link and through quorate', () => {
    const env = { QUORATE_CONFIG_DIR: join(scratch, 'ccs') };
    mkdirSync(env.QUORATE_CONFIG_DIR, { recursive: true });
    expect(bundled('ccs_tool', ['create', 'alpha'], env).status).toBe(0);
    expect(bundled('ccs_tool', ['addnode', '-n', '1', 'node1'], env).status).toBe(0);
    expect(bundled('quorate', ['ccs_tool', 'addnode', '-n', '2', 'node2'], env).status).toBe(0);
    const listing = bundled('ccs_tool', ['lsnode'], env);
    expect(listing.status).toBe(0);
    expect(listing.stdout).toMatch(/^node1\s+1\s+1/m);
    expect(listing.stdout).toMatch(/^node2\s+1\s+2/m);
    expect(bundled('ccs_tool', ['query', '/cluster/@config_version'], env).stdout).toBe('3\n');
  });

  it('clustat and cman_tool say that no agent answers, with their RHCS exit status', () => {
    const env = { QUORATE_SOCKET: join(scratch, 'no-agent.sock') };
    const clustat = bundled('clustat', [], env);
    expect(clustat.status).toBe(1);
    expect(clustat.stderr).toContain('Could not connect to CMAN');
    expect(bundled('quorate', ['cman_tool', 'status'], env).stderr).toContain(
      'Cannot open connection to cman',
    );
    expect(bundled('clustat', ['-v']).stdout).toBe(`clustat version ${packageVersion}\n`);
  });

  it('quorate cert makes the cluster CA and a node certificate, keys readable by root only', () => {
    const dir = join(scratch, 'tls');
    expect(bundled('quorate', ['cert', 'ca', '--cluster', 'alpha', '--dir', dir]).status).toBe(0);
    expect(bundled('quorate', ['cert', 'node', 'node1', '--dir', dir]).status).toBe(0);
    expect(mode(join(dir, 'ca.key'))).toBe('600');
    expect(mode(join(dir, 'node-node1.key'))).toBe('600');
    const certificate = new X509Certificate(readFileSync(join(dir, 'node-node1.crt')));
    expect(certificate.subject).toBe('CN=node1');
    const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
    expect(certificate.checkIssued(ca)).toBe(true);
  });

  it('refuses an unknown command and a bad option with exit 2, naming them', () => {
    const unknown = bundled('quorate', ['clustatt']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "clustatt"');
    const badPort = bundled('ricci', ['--port', 'eleven']);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toContain('--port');
  });
});

describe('install.sh', () => {
  const install = (args: readonly string[]) =>
    run('sh', [join(unpacked, 'install.sh'), ...args], { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' });

  it('installs under a prefix with the config dir 0755 and the state dir 0700', () => {
    const dest = join(scratch, 'dest-default');
    // A state directory left too open (and holding data) is tightened and kept.
    mkdirSync(join(dest, 'var/lib/quorate'), { recursive: true, mode: 0o777 });
    writeFileSync(join(dest, 'var/lib/quorate/consensus.wal'), 'kept');
    const result = install(['--destdir', dest]);
    expect(result.status, result.stderr).toBe(0);
    const root = join(dest, 'opt/quorate');
    expect(mode(join(root, 'bin/quorate'))).toBe('755');
    for (const name of COMMAND_LINKS) {
      expect(readlinkSync(join(root, 'bin', name)), name).toBe('quorate');
    }
    expect(mode(join(root, OCF_AGENTS_DIR, 'ip'))).toBe('755');
    expect(mode(join(dest, 'etc/cluster'))).toBe('755');
    expect(mode(join(dest, 'var/lib/quorate'))).toBe('700');
    expect(readFileSync(join(dest, 'var/lib/quorate/consensus.wal'), 'utf8')).toBe('kept');
    const unit = readFileSync(join(dest, 'etc/systemd/system/quorate-ricci.service'), 'utf8');
    expect(unit).toContain('ExecStart=/opt/quorate/bin/ricci $RICCI_OPTS\n');
    expect(unit).toContain('Environment=QUORATE_STATE_DIR=/var/lib/quorate\n');
    expect(run(join(root, 'bin/ricci'), ['--version'], {}).stdout).toBe(
      `ricci ${packageVersion}\n`,
    );
  });

  it('writes the unit for another prefix, config dir and state dir', () => {
    const dest = join(scratch, 'dest-other');
    const result = install([
      '--destdir',
      dest,
      '--prefix',
      '/usr/local/quorate',
      '--config-dir',
      '/srv/cluster',
      '--state-dir',
      '/srv/quorate-state',
      '--unit-dir',
      '/lib/systemd/system',
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(mode(join(dest, 'srv/cluster'))).toBe('755');
    expect(mode(join(dest, 'srv/quorate-state'))).toBe('700');
    const unit = readFileSync(join(dest, 'lib/systemd/system/quorate-ricci.service'), 'utf8');
    expect(unit).toContain('ExecStart=/usr/local/quorate/bin/ricci $RICCI_OPTS\n');
    expect(unit).toContain('Environment=QUORATE_CONFIG_DIR=/srv/cluster\n');
    expect(unit).toContain('Environment=QUORATE_STATE_DIR=/srv/quorate-state\n');
    expect(unit).not.toContain('/opt/quorate');
  });

  it.skipIf(!hasSystemdAnalyze)('writes a unit that systemd-analyze verify accepts', () => {
    // Installed for real (no destdir), so that the unit's ExecStart exists where it says.
    const root = join(scratch, 'verify');
    const result = install([
      '--prefix',
      join(root, 'prefix'),
      '--config-dir',
      join(root, 'cluster'),
      '--state-dir',
      join(root, 'state'),
      '--unit-dir',
      join(root, 'units'),
    ]);
    expect(result.status, result.stderr).toBe(0);
    const unit = join(root, 'units', 'quorate-ricci.service');
    const verify = run('systemd-analyze', ['verify', '--man=no', unit]);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  });

  it('upgrades in place, keeping cluster.conf; --no-unit installs no unit', () => {
    const dest = join(scratch, 'dest-upgrade');
    expect(install(['--destdir', dest, '--no-unit']).status).toBe(0);
    writeFileSync(join(dest, 'etc/cluster/cluster.conf'), '<cluster/>');
    const again = install(['--destdir', dest, '--no-unit']);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(dest, 'etc/cluster/cluster.conf'), 'utf8')).toBe('<cluster/>');
    expect(lstatSync(join(dest, 'opt/quorate/bin/ricci')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dest, 'etc/systemd'))).toBe(false);
  });

  it('refuses a relative or unsafe directory and an unknown option, naming them', () => {
    const relative = install(['--prefix', 'opt/quorate']);
    expect(relative.status).toBe(2);
    expect(relative.stderr).toContain('--prefix: "opt/quorate" must be an absolute path');
    const spaced = install(['--state-dir', '/var/lib/my state']);
    expect(spaced.status).toBe(2);
    expect(spaced.stderr).toContain('--state-dir: "/var/lib/my state" may hold only');
    const unknown = install(['--prefx', '/opt']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--prefx"');
    const missing = install(['--destdir']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--destdir: needs a directory');
  });
});
