/// <reference path="../../ricci/testing/prometheus-parser.d.ts" />
// `pnpm demo` as the README gives it: started as written, it prints the console's URL and a
// one-time password that signs in; its three agents form a quorate cluster that runs the demo
// service (clustat against a demo agent's control socket, and the page names the owner); the
// demo fence path powers the owner off and the service recovers on another node; Ctrl-C (SIGINT
// to the process group, as a terminal sends it) leaves no process behind.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it } from 'vitest';
import { demoLayout, repositoryRoot } from './demo-layout.js';
import { METRICS_PORT_OFFSET } from './demo-options.js';

const WAIT_MS = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'quorate-demo-test-'));
const layout = demoLayout(dir);

/** Whether every port in `ports` can be bound on loopback right now. */
async function free(ports: readonly number[]): Promise<boolean> {
  for (const port of ports) {
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) return false;
    await new Promise((resolve) => server.close(resolve));
  }
  return true;
}

/** Free ports: three consecutive ones for the agents (and their metrics), the web service's, the console's. */
async function demoPorts() {
  const seed = Math.floor(Math.random() * 2000);
  console.info(`demo test: port seed ${seed}`);
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 30_000 + ((seed + attempt * 97) % 1000) * 5;
    const ports = { base, web: base + 3, console: base + 4, metrics: base + METRICS_PORT_OFFSET };
    const agents = [0, 1, 2].flatMap((i) => [base + i, ports.metrics + i]);
    if (await free([...agents, ports.web, ports.console])) return ports;
  }
  throw new Error('no five free loopback ports found');
}

/** The demo command's output, line by line, and a wait for a line that matches. */
class Output {
  readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();

  private ended = false;

  constructor(child: ChildProcess) {
    child.once('exit', () => {
      this.ended = true;
      for (const waiter of this.waiters) waiter();
    });
    let partial = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.lines.push(...lines);
      for (const waiter of this.waiters) waiter();
    });
  }

  /** The first line from index `after` on that `pattern` matches. */
  waitFor(pattern: RegExp, after = 0): Promise<{ match: RegExpExecArray; index: number }> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let index = after; index < this.lines.length; index++) {
          const match = pattern.exec(this.lines[index]!);
          if (!match) continue;
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve({ match, index });
          return;
        }
        if (this.ended) fail('the demo command ended');
      };
      const fail = (why: string) => {
        this.waiters.delete(check);
        clearTimeout(timer);
        reject(new Error(`${why} before a line matching ${pattern}:\n${this.lines.join('\n')}`));
      };
      const timer = setTimeout(() => fail(`${WAIT_MS} ms passed`), WAIT_MS);
      this.waiters.add(check);
      check();
    });
  }
}

function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { env: options.env ?? process.env, timeout: WAIT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** clustat against one demo agent's control socket. */
const clustat = (node: string) =>
  run(process.execPath, [join(repositoryRoot, 'bin/clustat')], {
    env: { ...process.env, QUORATE_SOCKET: join(dir, node, 'ricci.sock') },
  });

const serviceLine = /^\s*service:webservice\s+(\S+)\s+started\s*$/m;

function page(port: number, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}${path}`, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(body.trim()));
    }).on('error', reject);
  });
}

/** A request to the demo console, trusting its certificate alone, as its web app sends it. */
function consoleCall(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
): Promise<{ status: number; body: string; cookie: string | undefined }> {
  const origin = url.replace(/\/$/, '');
  const headers: Record<string, string> = { origin };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  return new Promise((resolve, reject) => {
    const sent = request(
      `${origin}${path}`,
      { method, ca: readFileSync(join(dir, 'console', 'tls', 'console.crt'), 'utf8'), headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: text,
            cookie: [response.headers['set-cookie'] ?? []].flat()[0]?.split(';')[0],
          }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Every process that works in the demo folder or names it on its command line. */
function demoProcesses(): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cwd.startsWith(dir) || command.includes(dir)) found.push(`${entry}: ${command}`);
    } catch {
      // Gone in the meantime.
    }
  }
  return found;
}

describe('pnpm demo', () => {
  let demo: ChildProcess | undefined;

  afterAll(() => {
    // What the console said, when the test failed before the demo was ready.
    try {
      const consoleLog = readFileSync(layout.consoleLog, 'utf8');
      if (!consoleLog.includes('console ready')) console.info(`console.log:\n${consoleLog}`);
    } catch {}
    // Only if the test failed midway: the demo's group, then whatever it left.
    const pids = [-(demo?.pid ?? 0), ...demoProcesses().map((line) => Number(line.split(':')[0]))];
    for (const pid of pids.filter((pid) => pid !== 0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone: the usual case.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a cluster and the console, recovers a fenced node, and stops on Ctrl-C', async () => {
    const ports = await demoPorts();
    const args = ['demo', '--dir', dir, '--base-port', String(ports.base)];
    args.push('--web-port', String(ports.web), '--console-port', String(ports.console));
    const started = spawn('pnpm', args, { cwd: repositoryRoot, detached: true, stdio: 'pipe' });
    demo = started;
    const output = new Output(started);
    /** How it ended, and whether the demo had said it stopped everything by then. */
    const exited = new Promise<{ code: number | null; signal: string | null; stopped: boolean }>(
      (resolve) =>
        started.once('exit', (code, signal) => {
          const stopped = output.lines.some((line) => line.startsWith('quorate demo: stopped'));
          resolve({ code, signal, stopped });
        }),
    );

    const url = (await output.waitFor(/^Console: (https:\/\/\S+)$/)).match[1]!;
    const password = (await output.waitFor(/one-time password: (\S+)$/)).match[1]!;
    expect(url).toBe(`https://127.0.0.1:${ports.console}/`);
    const signIn = (secret: string) =>
      consoleCall(url, 'POST', '/api/session', { user: 'admin', password: secret });
    expect((await signIn(`${password}x`)).status).toBe(401);
    const session = await signIn(password);
    expect(session.status).toBe(200);
    // The demo added its cluster to the console, through the agents' console link.
    await output.waitFor(/^quorate demo: \[5\/5\] console ready, cluster demo added$/);
    const listed = await consoleCall(url, 'GET', '/api/clusters', undefined, session.cookie);
    expect(JSON.parse(listed.body)).toMatchObject({
      clusters: [{ name: 'demo', nodeCount: 3, link: { state: 'connected' } }],
    });

    // The demo prints a start once the owner's own agent has logged it.
    const startedOn = /^quorate demo: service:webservice: started on (node\d)$/;
    const owner = (await output.waitFor(startedOn)).match[1]!;
    const status = await clustat(owner);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Member Status: Quorate/);
    for (const node of ['node1', 'node2', 'node3']) {
      expect(status.stdout).toMatch(new RegExp(`^ ${node}\\s+\\d+ Online`, 'm'));
    }
    expect(serviceLine.exec(status.stdout)?.[1], status.stdout).toBe(owner);
    expect(await page(ports.web)).toBe(`hello from ${owner}`);

    // quorate support-report against a live demo agent carries what it answered.
    const archive = join(dir, 'report.tar.gz');
    const node1 = join(dir, 'node1');
    const report = await run(
      process.execPath,
      [
        join(repositoryRoot, 'bin/quorate'),
        'support-report',
        ...['-o', archive, '--journal-lines', '0', '--log', join(node1, 'ricci.log')],
        ...['--config-dir', join(node1, 'cluster'), '--state-dir', join(node1, 'state')],
      ],
      { env: { ...process.env, QUORATE_SOCKET: join(node1, 'ricci.sock') } },
    );
    expect(report.code, report.stderr).toBe(0);
    const reported = execFileSync('tar', ['-xzOf', archive, '--wildcards', '*/status/clustat.txt']);
    expect(reported.toString()).toMatch(/Member Status: Quorate/);

    // The demo fence path powers the owner off, as an operator would try it.
    const mark = output.lines.length;
    const fenced = await run(layout.fenceAgent, [], {
      input: `action=off\nport=${owner}\ndemo_dir=${dir}\n`,
    });
    expect(fenced.code, fenced.stderr).toBe(0);
    await output.waitFor(new RegExp(`^quorate demo: ${owner} powered off`), mark);
    const recovered = await output.waitFor(startedOn, mark);
    const newOwner = recovered.match[1]!;
    expect(newOwner).not.toBe(owner);
    const after = await clustat(newOwner);
    expect(serviceLine.exec(after.stdout)?.[1], after.stdout).toBe(newOwner);
    expect(await page(ports.web)).toBe(`hello from ${newOwner}`);

    // The new owner's /metrics parses and shows the failover.
    const index = Number(newOwner.slice(-1)) - 1;
    const metrics = parsePrometheusTextFormat(await page(ports.metrics + index, '/metrics'));
    const sample = (name: string, labels: Record<string, string>) =>
      metrics
        .find((family) => family.name === name)
        ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    const service = { service: 'service:webservice' };
    expect(sample('quorate_service_failovers_total', service)?.value).toBe('1');
    expect(sample('quorate_service_owner', { ...service, node: newOwner })?.value).toBe('1');
    expect(sample('quorate_quorate', {})?.value).toBe('1');

    process.kill(-started.pid!, 'SIGINT');
    // pnpm waits for the demo, then ends as SIGINT ended it (a shell shows exit status 130).
    const end = await exited;
    expect(end.stopped, output.lines.join('\n')).toBe(true);
    expect(end.code === 0 || end.signal === 'SIGINT', JSON.stringify(end)).toBe(true);
    expect(demoProcesses()).toEqual([]);
  }, 300_000);
});
