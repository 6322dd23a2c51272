// `pnpm bench:agent`: the agent's numbers that DESIGN.md §7 budgets, measured on test hosts and
// printed as one JSON object: the time from starting three agents to all three quorate (each
// run on a fresh network), then, on the last run, each agent's idle CPU (utime + stime from
// /proc over a window), how often its main thread woke (idle CPU is mostly the price of
// wake-ups, and their count does not depend on how busy the machine is), resident memory, and
// the machine's load average, without which a CPU share on a shared machine means little.
//
//   node e2e/dist/agent-bench.js [--runs 3] [--idle-seconds 30] [--tick-ms 50]
//                                [--cpu-prof-dir DIR] [--cpu-prof-interval-us N]
//                                [--bundle ARCHIVE] [--token-ms N] [--ricci FILE]
//
// --ricci runs another build's launcher (say, a checkout of the previous commit's bin/ricci),
// so that two builds can be compared in turn under the same load.
// With --token-ms every host gets a cluster.conf of the three nodes with that totem token, so
// the agents run the resource manager as configured nodes do; without it they start from a
// peer list (consensus only, token 1000 ms). Heartbeats go out four times per token.
//
// With --bundle the agents run from the agent bundle (`pnpm bundle`'s archive, unpacked once),
// as installed nodes do, instead of from the repository's build (bin/ricci and ~250 modules).
// With --cpu-prof-dir each agent of the last run is profiled (`node --cpu-prof`) and stopped
// with SIGTERM after the idle window, so that its profile is written; the profile's last
// `idle-seconds` are the idle agent's. An idle agent is busy for a few milliseconds a second, so
// the default sampling interval (1000 µs) catches too few samples to rank its functions:
// --cpu-prof-interval-us 100 samples ten times as often (and costs the agent more CPU).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { unpackBundle } from './bundle-launch.js';
import type { HostProcess } from './host-process.js';
import { runPaths } from './layout.js';
import { e2eSkipReason } from './requirements.js';
import { TestNetwork } from './test-network.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const defaultRicci = join(root, 'bin/ricci');
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
    'cpu-prof-dir': { type: 'string' },
    'cpu-prof-interval-us': { type: 'string' },
    bundle: { type: 'string' },
    'token-ms': { type: 'string' },
    ricci: { type: 'string' },
  },
});
const runs = Number(values.runs);
const idleSeconds = Number(values['idle-seconds']);
const tickMs = Number(values['tick-ms']);
const cpuProfDir = values['cpu-prof-dir'];
const cpuProfInterval = values['cpu-prof-interval-us'];
const bundleArchive = values.bundle;
const ricci = values.ricci ?? defaultRicci;
const tokenMs = values['token-ms'] === undefined ? null : Number(values['token-ms']);

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

/** The same cluster.conf on every host: the three nodes, the given token. */
function writeClusterConfs(network: TestNetwork, token: number): void {
  const nodes = NAMES.map((name, i) => `    <clusternode name="${name}" nodeid="${i + 1}"/>`);
  const text = [
    '<?xml version="1.0"?>',
    '<cluster name="bench" config_version="1">',
    `  <totem token="${token}"/>`,
    '  <clusternodes>',
    ...nodes,
    '  </clusternodes>',
    '</cluster>',
    '',
  ].join('\n');
  for (const name of NAMES) {
    writeFileSync(join(network.host(name).paths.mounts['/etc/cluster'], 'cluster.conf'), text);
  }
}

function startAgent(network: TestNetwork, name: string, profile: boolean): HostProcess {
  const peers = NAMES.filter((peer) => peer !== name).flatMap((peer) => [
    '--peer',
    `${peer}=${network.host(peer).address}:${PORT}`,
  ]);
  // The hosts share the machine's /run, so each agent's control socket lives in its own state.
  const socket = ['--control-socket', '/var/lib/quorate/ricci.sock'];
  const args = ['--node', name, ...peers, '--tick-ms', String(tickMs), ...socket];
  if (bundled !== null) return network.spawn(name, join(bundled, 'bin/ricci'), args);
  const nodeOptions =
    profile && cpuProfDir !== undefined
      ? [
          '--cpu-prof',
          '--cpu-prof-dir',
          join(cpuProfDir, name),
          ...(cpuProfInterval === undefined ? [] : ['--cpu-prof-interval', cpuProfInterval]),
        ]
      : [];
  return network.spawn(name, process.execPath, [...nodeOptions, ricci, ...args]);
}

function quorateLine(agent: HostProcess): Promise<string> {
  return agent.waitForLine(/"event":"quorum-changed".*"quorate":true/, QUORATE_WITHIN_MS);
}

/** utime + stime of a process (or, with `thread`, of one of its threads), in clock ticks. */
function cpuTicks(pid: number, thread?: number): number {
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const stat = readFileSync(path, 'utf8');
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

/** SIGTERM lets each agent leave and exit, which is when node writes its CPU profile. */
async function stopForProfiles(agents: readonly HostProcess[]): Promise<void> {
  for (const agent of agents) agent.kill('SIGTERM');
  await Promise.all(agents.map((agent) => agent.waitForExit(10_000)));
}

async function oneRun(measureIdle: boolean) {
  const network = await TestNetwork.create({ clusterHosts: 3, client: false, console: false });
  try {
    makeCertificates(network);
    if (tokenMs !== null) writeClusterConfs(network, tokenMs);
    const startedAt = performance.now();
    const agents = NAMES.map((name) => startAgent(network, name, measureIdle));
    await Promise.all(agents.map(quorateLine));
    const quorateMs = Math.round(performance.now() - startedAt);
    if (!measureIdle) return { quorateMs };
    // Let start-up work (link setup, the first commits, JIT) settle before the idle window.
    await waitMs(3000);
    const before = agents.map((agent) => cpuTicks(agent.pid));
    const mainBefore = agents.map((agent) => cpuTicks(agent.pid, agent.pid));
    const wokenBefore = agents.map((agent) => wakeUps(agent.pid));
    const windowStart = performance.now();
    await waitMs(idleSeconds * 1000);
    const seconds = (performance.now() - windowStart) / 1000;
    const idleCpuPercent = agents.map((agent, i) => {
      const used = (cpuTicks(agent.pid) - (before[i] ?? 0)) / CLOCK_TICKS_PER_SECOND;
      return Math.round((used / seconds) * 1000) / 10;
    });
    // The main thread's share: the rest is V8's compiler and GC threads and libuv's pool.
    const mainThreadCpuPercent = agents.map((agent, i) => {
      const used = (cpuTicks(agent.pid, agent.pid) - (mainBefore[i] ?? 0)) / CLOCK_TICKS_PER_SECOND;
      return Math.round((used / seconds) * 1000) / 10;
    });
    const wakeUpsPerSecond = agents.map(
      (agent, i) => Math.round(((wakeUps(agent.pid) - (wokenBefore[i] ?? 0)) / seconds) * 10) / 10,
    );
    const leader = lastLeader(agents[0] as HostProcess);
    const residentMiBs = agents.map((a) => residentMiB(a.pid));
    if (cpuProfDir !== undefined) await stopForProfiles(agents);
    return {
      quorateMs,
      leader,
      idleCpuPercent,
      mainThreadCpuPercent,
      wakeUpsPerSecond,
      residentMiB: residentMiBs,
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
/** The unpacked bundle the agents run from, or null for the repository's build. */
let bundled: string | null = null;
const unpackedInto = bundleArchive === undefined ? null : mkdtempSync(join(tmpdir(), 'qr-bench-'));
if (bundleArchive !== undefined && unpackedInto !== null) {
  bundled = await unpackBundle(bundleArchive, unpackedInto);
}
const quorateMs: number[] = [];
let idle: {
  leader?: string | null;
  idleCpuPercent?: number[];
  mainThreadCpuPercent?: number[];
  wakeUpsPerSecond?: number[];
  residentMiB?: number[];
} = {};
for (let run = 1; run <= runs; run++) {
  const result = await oneRun(run === runs);
  quorateMs.push(result.quorateMs);
  if (run === runs) idle = result;
}
if (unpackedInto !== null) rmSync(unpackedInto, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    agents: NAMES.length,
    from: bundleArchive ?? ricci,
    clusterConfTokenMs: tokenMs,
    tickMs,
    runs,
    startToQuorateMs: quorateMs,
    idleWindowSeconds: idleSeconds,
    leader: idle.leader,
    idleCpuPercentOfOneCore: idle.idleCpuPercent,
    mainThreadCpuPercent: idle.mainThreadCpuPercent,
    wakeUpsPerSecond: idle.wakeUpsPerSecond,
    residentMiB: idle.residentMiB,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  })}\n`,
);
