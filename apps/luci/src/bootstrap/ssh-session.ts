// One SSH connection to a host being bootstrapped (ssh2, pure JavaScript): connect with the
// administrator's credentials and the host key policy, run commands with secrets only on stdin,
// and write files over SFTP with their mode set at creation. Failures are classified so the
// console can say exactly what went wrong (unreachable, wrong password, host key changed …).
import { createHash, randomBytes } from 'node:crypto';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import type { BootstrapNode } from './bootstrap-plan.js';
import { sshPortOf } from './bootstrap-plan.js';

export type SshFailureKind =
  | 'unreachable'
  | 'auth-failed'
  | 'host-key-changed'
  | 'bad-private-key'
  | 'timeout'
  | 'ssh-failed';

export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly kind: SshFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface RemoteResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Output kept per stream: the end of a long output is what explains a failure. */
const MAX_OUTPUT_CHARS = 64 * 1024;
const DEFAULT_EXEC_TIMEOUT_MS = 120_000;

/** `SHA256:` and unpadded base64 of the key blob, as `ssh-keygen -l` prints it. */
export function sshKeyFingerprint(keyBlob: Buffer): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

export class SshSession {
  private sftpChannel: Promise<SFTPWrapper> | undefined;

  private constructor(
    private readonly client: Client,
    /** The fingerprint the host presented (what trust-on-first-use pinned). */
    readonly hostKeySha256: string,
  ) {}

  static connect(node: BootstrapNode, timeoutMs: number): Promise<SshSession> {
    const client = new Client();
    let presented: string | undefined;
    const expected = node.hostKey.kind === 'pinned' ? node.hostKey.sha256 : undefined;
    const config: ConnectConfig = {
      host: node.host.replace(/^\[|\]$/g, ''),
      port: sshPortOf(node),
      username: node.user,
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        presented = sshKeyFingerprint(key);
        return expected === undefined || presented === expected;
      },
      ...(node.auth.kind === 'password'
        ? { password: node.auth.password, tryKeyboard: false }
        : { privateKey: node.auth.privateKey, passphrase: node.auth.passphrase }),
    };
    return new Promise((resolve, reject) => {
      const fail = (error: Error & { level?: string; code?: string }) => {
        client.end();
        reject(classify(error, node, presented, expected, timeoutMs));
      };
      client.once('ready', () => {
        client.off('error', fail);
        client.on('error', () => undefined); // later socket errors surface on the running call
        resolve(new SshSession(client, presented ?? 'unknown'));
      });
      client.once('error', fail);
      try {
        client.connect(config);
      } catch (error) {
        fail(error as Error);
      }
    });
  }

  /** Runs `command` through the login shell; `stdin` (a secret, a script) is written then closed. */
  exec(
    command: string,
    options: { stdin?: string; timeoutMs?: number } = {},
  ): Promise<RemoteResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, stream) => {
        if (error)
          return reject(new SshError('ssh-failed', `cannot run a command: ${error.message}`));
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => {
          stream.close();
          reject(new SshError('timeout', `a command took longer than ${timeoutMs} ms`));
        }, timeoutMs);
        stream.on('data', (chunk: Buffer) => {
          stdout = (stdout + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS);
        });
        stream.stderr.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS);
        });
        stream.on('close', (code: number | null, signal: string | null) => {
          clearTimeout(timer);
          resolve({ code: code ?? null, signal: signal ?? null, stdout, stderr });
        });
        stream.end(options.stdin ?? '');
      });
    });
  }

  /** Copies a local file to the host; `mode` is set when the file is created. */
  async upload(localPath: string, remotePath: string, mode: number): Promise<void> {
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) => {
      sftp.fastPut(
        localPath,
        remotePath,
        { mode, concurrency: 8, chunkSize: 256 * 1024 },
        (error) => (error ? reject(sftpError('copy', remotePath, error)) : resolve()),
      );
    });
  }

  /**
   * Writes `data` to a new file beside `remotePath`, created with `mode` (never wider for a
   * moment), and renames it into place: a reader sees the old file or the whole new one.
   */
  async writeFile(remotePath: string, data: string, mode: number): Promise<void> {
    const sftp = await this.sftp();
    const temporary = `${remotePath}.${randomBytes(6).toString('hex')}.tmp`;
    await new Promise<void>((resolve, reject) => {
      sftp.writeFile(temporary, data, { mode, flag: 'wx' }, (error) =>
        error ? reject(sftpError('write', remotePath, error)) : resolve(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      sftp.chmod(temporary, mode, (error) =>
        error ? reject(sftpError('chmod', remotePath, error)) : resolve(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      sftp.ext_openssh_rename(temporary, remotePath, (error) =>
        error ? reject(sftpError('rename', remotePath, error)) : resolve(),
      );
    });
  }

  close(): void {
    this.client.end();
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpChannel ??= new Promise((resolve, reject) => {
      this.client.sftp((error, sftp) =>
        error ? reject(new SshError('ssh-failed', `SFTP: ${error.message}`)) : resolve(sftp),
      );
    });
    return this.sftpChannel;
  }
}

function sftpError(what: string, path: string, error: Error): SshError {
  return new SshError('ssh-failed', `SFTP ${what} ${path}: ${error.message}`);
}

function classify(
  error: Error & { level?: string; code?: string },
  node: BootstrapNode,
  presented: string | undefined,
  expected: string | undefined,
  timeoutMs: number,
): SshError {
  const where = `${node.host} port ${sshPortOf(node)}`;
  if (expected !== undefined && presented !== undefined && presented !== expected) {
    return new SshError(
      'host-key-changed',
      `the host key of ${where} has changed: it presented ${presented}, not the pinned ${expected}` +
        ' (another machine at this address, or an attack); refused',
    );
  }
  if (/privateKey|private key/i.test(error.message) && error.level === undefined) {
    return new SshError('bad-private-key', `the private key cannot be used: ${error.message}`);
  }
  switch (error.level) {
    case 'client-authentication':
      return new SshError(
        'auth-failed',
        node.auth.kind === 'password'
          ? `${where}: wrong password for ${node.user}`
          : `${where}: the key was not accepted for ${node.user}`,
      );
    case 'client-timeout':
      return new SshError('unreachable', `${where}: no SSH answer within ${timeoutMs} ms`);
    case 'client-dns':
      return new SshError('unreachable', `${node.host}: the name does not resolve`);
    case 'client-socket':
      return new SshError('unreachable', `${where}: ${socketReason(error.code, error.message)}`);
    default:
      return new SshError('ssh-failed', `${where}: ${error.message}`);
  }
}

function socketReason(code: string | undefined, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (no SSH server listening there)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable (no route, or the host is down)';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ECONNRESET':
      return 'connection reset by the host';
    default:
      return message;
  }
}
