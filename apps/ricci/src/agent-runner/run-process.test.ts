import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BoundedOutput } from './bounded-output.js';
import { runProcess } from './run-process.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-run-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };

/** Running and not a zombie (a killed child may wait for its new parent to reap it). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A named pipe: a test reads what an agent writes, and so knows the agent got that far. */
function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('BoundedOutput', () => {
  it('keeps the first bytes and says how many it dropped', () => {
    const out = new BoundedOutput(10);
    out.push(Buffer.from('123456'));
    out.push(Buffer.from('7890abcdef'));
    out.push(Buffer.from('xyz'));
    expect(out.truncatedBytes).toBe(9);
    expect(out.text()).toBe('1234567890\n[truncated 9 bytes]\n');
  });
});

describe('runProcess', () => {
  it('passes arguments and stdin without a shell', async () => {
    const marker = join(dir, 'pwned');
    const tricky = `a'b"c; touch ${marker}; $(touch ${marker}) \`touch ${marker}\``;
    const result = await runProcess({
      command: 'sh',
      args: ['-c', 'printf "%s|" "$1"; cat', 'sh', tricky],
      env,
      input: 'from stdin',
      timeoutMs: 5_000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${tricky}|from stdin`);
    expect(() => readFileSync(marker)).toThrow();
  });

  it('lowers the priority of work nobody waits on, for what it forks too', async () => {
    // The priority is set just after the spawn: the child polls until it has it.
    const result = await runProcess({
      command: 'sh',
      args: ['-c', 'while [ "$(nice)" = 0 ]; do :; done; nice'],
      env,
      timeoutMs: 10_000,
      niceness: 19,
    });
    expect(result.timedOut).toBe(false);
    expect(result.stdout.trim()).toBe('19');
  });

  it('kills the whole process group at the timeout, children included', async () => {
    const pidFile = join(dir, 'child.pid');
    const result = await runProcess({
      command: 'sh',
      args: ['-c', `sleep 300 & echo $! > ${pidFile}; wait`],
      env,
      timeoutMs: 300,
      killGraceMs: 200,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeUndefined();
    expect(result.signal).toBe('SIGTERM');
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(childPid)).toBe(false);
  });

  it('escalates to SIGKILL when the agent ignores SIGTERM', async () => {
    const result = await runProcess({
      command: 'sh',
      args: ['-c', "trap '' TERM; while :; do sleep 0.05; done"],
      env,
      timeoutMs: 200,
      killGraceMs: 200,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(result.durationMs).toBeGreaterThanOrEqual(400);
  });

  it('bounds megabytes of output on both streams', async () => {
    const result = await runProcess({
      command: 'sh',
      args: [
        '-c',
        'head -c 5000000 /dev/zero | tr "\\0" x; head -c 3000000 /dev/zero | tr "\\0" y >&2',
      ],
      env,
      timeoutMs: 10_000,
      outputLimitBytes: 64 * 1024,
    });
    expect(result.exitCode).toBe(0);
    expect(result.truncatedBytes).toEqual({
      stdout: 5_000_000 - 65_536,
      stderr: 3_000_000 - 65_536,
    });
    expect(result.stdout.length).toBeLessThan(66_000);
    expect(result.stdout).toMatch(/\n\[truncated 4934464 bytes\]\n$/);
    expect(result.stderr).toMatch(/\[truncated 2934464 bytes\]/);
  });

  it('does not wait for a daemon that keeps the output pipes open', async () => {
    const pidFile = join(dir, 'daemon.pid');
    const result = await runProcess({
      command: 'sh',
      args: ['-c', `sleep 30 & echo $! > ${pidFile}; echo started`],
      env,
      timeoutMs: 5_000,
    });
    const daemon = Number(readFileSync(pidFile, 'utf8'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('started\n');
    expect(result.durationMs).toBeLessThan(2_000);
    expect(isAlive(daemon)).toBe(true);
    process.kill(daemon, 'SIGKILL');
  });

  it('kills the whole process group when the caller aborts', async () => {
    const pids = fifo('aborted.pids');
    const abort = new AbortController();
    const running = runProcess({
      command: 'sh',
      args: ['-c', `sleep 300 & echo $! > ${pids}; wait`],
      env,
      timeoutMs: 60_000,
      killGraceMs: 200,
      signal: abort.signal,
    });
    const childPid = Number(await readFile(pids, 'utf8'));
    expect(isAlive(childPid)).toBe(true);
    abort.abort();
    const result = await running;
    expect(result).toMatchObject({ cancelled: true, timedOut: false, exitCode: undefined });
    expect(result.signal).toBe('SIGTERM');
    expect(isAlive(childPid)).toBe(false);
  });

  it('runs nothing when aborted before it starts', async () => {
    const marker = join(dir, 'never-run');
    const result = await runProcess({
      command: 'touch',
      args: [marker],
      env,
      timeoutMs: 1_000,
      signal: AbortSignal.abort(),
    });
    expect(result).toMatchObject({ cancelled: true, exitCode: undefined, durationMs: 0 });
    expect(() => readFileSync(marker)).toThrow();
  });

  it('reports an executable that cannot start', async () => {
    const notExecutable = join(dir, 'plain-file');
    writeFileSync(notExecutable, 'echo hi\n');
    const missing = await runProcess({
      command: join(dir, 'nope'),
      args: [],
      env,
      timeoutMs: 1_000,
    });
    const denied = await runProcess({ command: notExecutable, args: [], env, timeoutMs: 1_000 });
    expect(missing.spawnError).toMatch(/ENOENT/);
    expect(denied.spawnError).toMatch(/EACCES/);
  });
});
