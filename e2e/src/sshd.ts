// A real OpenSSH server inside a test host (DESIGN.md §6), for the console's SSH bootstrap: a
// host key made for this run, root login with a password (a copy of /etc/shadow with the test
// password, bind-mounted over /etc/shadow in the host's mount namespace only) and with a key.
// sshd runs in the foreground (-D), so the pid the harness records is sshd's own; stop() signals
// that pid and the harness's sweep kills it with the host's other processes in any case.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from './command.js';
import type { HostProcess } from './host-process.js';
import type { TestNetwork } from './test-network.js';

export const SSHD_PATH = '/usr/sbin/sshd';
const READY_TIMEOUT_MS = 15_000;

export interface SshServerOptions {
  /** root's password on this host. */
  readonly rootPassword: string;
  /** OpenSSH public keys (`ssh-ed25519 AAAA…`) that may log in as root. */
  readonly authorizedKeys?: readonly string[];
  readonly port?: number;
}

export interface SshServer {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  /** The host key's fingerprint as `ssh-keygen -l` prints it: `SHA256:` and unpadded base64. */
  readonly hostKeySha256: string;
  readonly process: HostProcess;
  stop(): Promise<void>;
}

/** `SHA256:…` of an OpenSSH public key line (`type base64 [comment]`). */
export function openSshFingerprint(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`not an OpenSSH public key: "${publicKeyLine.slice(0, 40)}"`);
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** Makes an ed25519 key pair in `dir` (a file holding only test keys); returns both halves. */
export async function makeSshKeyPair(
  dir: string,
  name: string,
): Promise<{ privateKey: string; publicKey: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  return { privateKey: readFileSync(path, 'utf8'), publicKey: readFileSync(`${path}.pub`, 'utf8') };
}

/** The machine's /etc/shadow with root's password replaced (SHA-512 crypt from openssl). */
async function shadowWithRootPassword(password: string): Promise<string> {
  const hash = (await mustRun('openssl', ['passwd', '-6', '-stdin'], { input: password })).trim();
  const lines = readFileSync('/etc/shadow', 'utf8').split('\n');
  const index = lines.findIndex((line) => line.startsWith('root:'));
  const fields = lines[index]?.split(':');
  if (!fields) throw new Error('/etc/shadow has no root entry');
  fields[1] = hash;
  lines[index] = fields.join(':');
  return lines.join('\n');
}

function sshdConfig(dir: string, address: string, port: number): string {
  return `${[
    `Port ${port}`,
    `ListenAddress ${address}`,
    `HostKey ${join(dir, 'ssh_host_ed25519_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'StrictModes no',
    'UsePAM no',
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
  ].join('\n')}\n`;
}

/** Starts sshd on the host's own address; resolves once it listens. */
export async function startSshServer(
  network: TestNetwork,
  hostName: string,
  options: SshServerOptions,
): Promise<SshServer> {
  const host = network.host(hostName);
  const port = options.port ?? 22;
  const dir = join(host.paths.root, 'sshd');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'ssh_host_ed25519_key');
  await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', hostName, '-f', keyPath]);
  writeFileSync(join(dir, 'authorized_keys'), (options.authorizedKeys ?? []).join('\n'), {
    mode: 0o600,
  });
  const shadow = join(dir, 'shadow');
  writeFileSync(shadow, await shadowWithRootPassword(options.rootPassword), { mode: 0o640 });
  const configPath = join(dir, 'sshd_config');
  writeFileSync(configPath, sshdConfig(dir, host.address, port));
  // The privilege separation directory sshd insists on; /run is the machine's, shared by hosts.
  await mustHostRun(network, hostName, 'mkdir', ['-p', '-m', '0755', '/run/sshd']);
  await mustHostRun(network, hostName, 'mount', ['--bind', shadow, '/etc/shadow']);
  await mustHostRun(network, hostName, SSHD_PATH, ['-t', '-f', configPath]);
  const sshd = network.spawn(hostName, SSHD_PATH, ['-D', '-e', '-f', configPath]);
  await sshd.waitForLine(/Server listening on/, READY_TIMEOUT_MS);
  return {
    host: hostName,
    address: host.address,
    port,
    hostKeySha256: openSshFingerprint(readFileSync(`${keyPath}.pub`, 'utf8')),
    process: sshd,
    async stop() {
      sshd.kill('SIGTERM');
      await sshd.waitForExit(READY_TIMEOUT_MS);
    },
  };
}

async function mustHostRun(
  network: TestNetwork,
  hostName: string,
  command: string,
  args: readonly string[],
): Promise<void> {
  const result = await network.exec(hostName, command, args);
  if (result.code !== 0) {
    throw new Error(`${hostName}: ${command} ${args.join(' ')}: ${result.stderr.trim()}`);
  }
}

/** Why the SSH tests cannot run here (no sshd), after the harness's own requirements. */
export function sshdSkipReason(): string | undefined {
  if (existsSync(SSHD_PATH)) return undefined;
  const missing = `${SSHD_PATH} is missing (apt-get install openssh-server)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${missing}`);
  console.warn(`skipping SSH tests: ${missing}`);
  return missing;
}
