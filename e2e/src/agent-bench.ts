// `pnpm bench:agent`: the agent's numbers that DESIGN.md §7 budgets, measured on test hosts and
// printed as one JSON object: the time from starting three agents to all three quorate (each
// run on a fresh network), then, on the last run, each agent's idle CPU (utime + stime from
// /proc over a window), how often its main thread woke (idle CPU is mostly the price of
// wake-ups, and their count does not depend on how busy the machine is), resident memory, and
// the machine's load average, without which a CPU share on a shared machine means little.
//
//   node e2e/dist/agent-bench.js [--runs 3] [--idle-seconds 30] [--tick-ms 50]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { HostProcess } from './host-process.js';
import { runPaths } from './layout.js';
import { e2eSkipReason } from './requirements.js';
import { TestNetwork } from './test-network.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ricci = join(root, 'bin/ricci');
const quorate = join(root, 'bin/quorate');
const NAMES = ['node1', 'node2', 'node3'];
const PORT = 11111;
const QUORATE_WITHIN_MS = 30_000;
/** USER_HZ: the unit of utime and stime in /proc/PID/stat on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'idle-seconds': { type: 'string', default: '30' },
    'tick-ms': { type: 'string', default: '50' },
  },
});
const runs = Number(values.runs);
const idleSeconds = Number(values['idle-seconds']);
const tickMs = Number(values['tick-ms']);

/** `quorate cert` in the root namespace: it only writes files. */
function makeCertificates(network: TestNetwork): void {
  const caDir = join(runPaths(network.runId).root, 'ca');
  mkdirSync(caDir);
  const cert = (args: string[]) => {
    const result = spawnSync(process.execPath, [quorate, 'cert', ...args, '--dir', caDir]);
    if (result.status !== 0) throw new Error(`quorate cert ${args.join(' ')}: ${result.stderr}`);
  };
  cert(['ca', '--cluster', 'bench']);
  for (const name of NAMES) {
    cert(['node', name]);
    const tls = join(network.host(name).paths.mounts['/var/lib/quorate'], 'tls');
    mkdirSync(tls, { recursive: true, mode: 0o700 });
    for (const file of ['ca.crt', `node-${name}.crt`, `node-${name}.key`]) {
      writeFileSync(join(tls, file), readFileSync(join(caDir, file)), { mode: 0o600 });
    }
  }
}

function startAgent(network: TestNetwork, name: string): HostProcess {
  const peers = NAMES.filter((peer) => peer !== name).flatMap((peer) => [
    '--peer',
    `${peer}=${network.host(peer).address}:${PORT}`,
  ]);
  // The hosts share the machine's /run, so each agent's control socket lives in its own state.
  const socket = ['--control-socket', '/var/lib/quorate/ricci.sock'];
  const args = [ricci, '--node', name, ...peers, '--tick-ms', String(tickMs), ...socket];
  return network.spawn(name, process.execPath, args);
}

function quorateLine(agent: HostProcess): Promise<string> {
  return agent.waitForLine(/"event":"quorum-changed".*"quorate":true/, QUORATE_WITHIN_MS);
}

/** utime + stime of a process, in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Times the process's main thread went to sleep and was woken: what an idle agent pays for. */
function wakeUps(pid: number): number {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1]);
}

/** The leader the agent's log names last, if any. */
function lastLeader(agent: HostProcess): string | null {
  const lines = agent.output('stdout').split('\n');
  const named = lines.map((line) => /"event":"leader-changed".*"leader":"([^"]+)"/.exec(line));
  return named.filter((match) => match !== null).at(-1)?.[1] ?? null;
}

function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function oneRun(measureIdle: boolean) {
  const network = await TestNetwork.create({ clusterHosts: 3, client: false, console: false });
  try {
    makeCertificates(network);
    const startedAt = performance.now();
    const agents = NAMES.map((name) => startAgent(network, name));
    await Promise.all(agents.map(quorateLine));
    const quorateMs = Math.round(performance.now() - startedAt);
    if (!measureIdle) return { quorateMs };
    // Let start-up work (link setup, the first commits, JIT) settle before the idle window.
    await waitMs(3000);
    const before = agents.map((agent) => cpuTicks(agent.pid));
    const wokenBefore = agents.map((agent) => wakeUps(agent.pid));
    const windowStart = performance.now();
    await waitMs(idleSeconds * 1000);
    const seconds = (performance.now() - windowStart) / 1000;
    const idleCpuPercent = agents.map((agent, i) => {
      const used = (cpuTicks(agent.pid) - (before[i] ?? 0)) / CLOCK_TICKS_PER_SECOND;
      return Math.round((used / seconds) * 1000) / 10;
    });
    const wakeUpsPerSecond = agents.map(
      (agent, i) => Math.round(((wakeUps(agent.pid) - (wokenBefore[i] ?? 0)) / seconds) * 10) / 10,
    );
    return {
      quorateMs,
      leader: lastLeader(agents[0] as HostProcess),
      idleCpuPercent,
      wakeUpsPerSecond,
      residentMiB: agents.map((a) => residentMiB(a.pid)),
    };
  } finally {
    await network.destroy();
  }
}

const skip = e2eSkipReason();
if (skip !== undefined) {
  process.stderr.write(`bench:agent needs test hosts: ${skip}\n`);
  process.exit(1);
}
const quorateMs: number[] = [];
let idle: {
  leader?: string | null;
  idleCpuPercent?: number[];
  wakeUpsPerSecond?: number[];
  residentMiB?: number[];
} = {};
for (let run = 1; run <= runs; run++) {
  const result = await oneRun(run === runs);
  quorateMs.push(result.quorateMs);
  if (run === runs) idle = result;
}
process.stdout.write(
  `${JSON.stringify({
    agents: NAMES.length,
    tickMs,
    runs,
    startToQuorateMs: quorateMs,
    idleWindowSeconds: idleSeconds,
    leader: idle.leader,
    idleCpuPercentOfOneCore: idle.idleCpuPercent,
    wakeUpsPerSecond: idle.wakeUpsPerSecond,
    residentMiB: idle.residentMiB,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  })}\n`,
);
