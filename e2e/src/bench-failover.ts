// `pnpm bench:failover` (issue 9 item 3): how long the client host goes without the service's
// page, measured as ../shared/peers/README.md measures Pacemaker and keepalived, so the numbers
// compare. For each totem token, a fresh three-node cluster runs `webservice` (floating IP + a
// script; the page, which names its node, is served by every node or by the service: see
// `PageServer`); a probe in the client host asks the floating IP every 10 ms (50 ms to connect or
// read). Times start when the trigger is issued:
//
// - relocate-owner-{follower,leader}: `clusvcadm -r webservice -m TARGET` started on the owner
//   (peers: `crm_resource --move`);
// - power-off-owner-{follower,leader}: the owner's test host powered off (link down, every
//   process killed; peers: `kill -9 corosync` or the veth down). The survivors fence it through
//   fence_testhost, a power device that answers at once, then start the service. Afterwards the
//   host is on again (the fence's reboot) and its agent is restarted.
//
// Measured per run, in milliseconds: `httpOnNewMs` (peers' `http_on_new`: the first page served by
// the new node), `startedOnNewMs` (peers' `crm_started_on_new`, read from the new owner's log line
// instead of polling); for relocations `cmdReturnedMs` (peers' `cmd_returned`) and
// `leaderDecidedMs` (the leader logged `stopping`); for power-offs, when a survivor logged the node
// lost (`nodeLostMs`), its fence done (`fencedMs`) and the service starting on it
// (`startingOnNewMs`). Also the agents' resident memory and idle CPU with the service
// running, how long the command line takes to start (`cliStartMs`), and the load average.
// Prints a short table, then the JSON document (also to --json).
//
//   node e2e/dist/bench-failover.js [--runs 10] [--token-ms 1000,300] [--idle-seconds 30]
//     [--scenarios relocate-owner-follower,...] [--page-server node|service] [--json FILE]
//     [--logs DIR]
//
// --logs DIR keeps every agent's log events and the client's answers, stamped with the monotonic
// clock in ns, as DIR/token-T-HOST.jsonl and DIR/token-T-client.txt.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  type AgentEvent,
  FailoverCluster,
  msSince,
  NODE_NAMES,
  now,
  PROBE_INTERVAL_MS,
  PROBE_TIMEOUT_MS,
  SERVICE,
  startedOn,
} from './failover-cluster.js';
import {
  type FailoverScenario,
  formatTable,
  type Measured,
  parseFailoverOptions,
  type SummaryRow,
  summarize,
} from './failover-report.js';
import { type CpuTicks, cpuPercent, readCpuTicks, readResidentMiB } from './process-usage.js';
import { e2eSkipReason } from './requirements.js';

/** Longest wait for a fresh cluster to form and serve the page (slow on a loaded machine). */
const FORM_WAIT_MS = 120_000;
/** Longest wait for any one step; a step that takes longer is recorded as failed. */
const STEP_WAIT_MS = 30_000;
/** Runs of a scenario that fail one after another before the benchmark moves on. */
const GIVE_UP_AFTER_FAILURES = 3;
/** Boots of a fenced host whose agent keeps falling out before the benchmark gives up. */
const REBOOTS_BEFORE_GIVING_UP = 3;
const CLI_START_SAMPLES = 5;
/** Start-up work (links, first commits, JIT) settles before the idle window opens. */
const SETTLE_BEFORE_IDLE_MS = 3000;

type Run = Record<string, string | number | null>;

const serviceState = (state: string) => (event: AgentEvent) =>
  event.event === 'service-state-changed' && event.service === SERVICE && event.state === state;
/** The leader's record that the owner is to stop: it has taken the request. */
const isStopping = serviceState('stopping');
/** The record that a survivor is to start the service: the recovery decision. */
const isStarting = serviceState('starting');

const round2 = (values: number[]) => values.map((v) => Math.round(v * 100) / 100);

/** Moves the service, untimed, so that its owner has `role`; returns the owner. */
async function placeOwner(cluster: FailoverCluster, role: 'leader' | 'follower'): Promise<string> {
  // A host whose agent a fence ended after the last run's reboot is booted again first.
  for (const name of NODE_NAMES) {
    if (cluster.agent(name).exitStatusIfExited !== undefined) await bootAgain(cluster, name);
  }
  if (cluster.members().length !== NODE_NAMES.length) {
    const everyone = (e: AgentEvent) =>
      e.event === 'membership-changed' && (e.members as string[]).length === NODE_NAMES.length;
    await cluster.waitForEvent(NODE_NAMES, everyone, now(), STEP_WAIT_MS);
  }
  const leader = cluster.leader();
  const owner = cluster.owner();
  if (leader === undefined || owner === undefined) throw new Error('no leader or no owner known');
  const want = role === 'leader' ? leader : owner !== leader ? owner : followerOf(leader);
  if (owner !== want) {
    const mark = now();
    const moved = await cluster.command(
      owner,
      'clusvcadm',
      ['-r', 'webservice', '-m', want],
      STEP_WAIT_MS,
    );
    if (moved.code !== 0) throw new Error(`placing on ${want}: ${moved.stdout}${moved.stderr}`);
    await cluster.waitForEvent(
      [want],
      startedOn((n) => n === want),
      mark,
      STEP_WAIT_MS,
    );
  }
  // The client is served by the owner before the trigger.
  if (cluster.currentAnswer() !== want) {
    await cluster.waitForAnswer((node) => node === want, now(), STEP_WAIT_MS);
  }
  return want;
}

function followerOf(leader: string, not?: string): string {
  return NODE_NAMES.find((n) => n !== leader && n !== not) as string;
}

/** Milliseconds from `startNs` to the instant `waiting` resolves with; null, and why in `run`, if never. */
async function msUntil(
  run: Run,
  what: string,
  startNs: bigint,
  waiting: Promise<{ atNs: bigint }>,
): Promise<Measured> {
  try {
    return msSince(startNs, (await waiting).atNs);
  } catch (error) {
    run.error = `${what}: ${(error as Error).message}`;
    return null;
  }
}

async function relocateOnce(cluster: FailoverCluster, role: 'leader' | 'follower'): Promise<Run> {
  const from = await placeOwner(cluster, role);
  const leader = cluster.leader() as string;
  // From the leader to a follower; from a follower to the other follower.
  const target = followerOf(leader, from);
  const run: Run = { from, to: target, leader };
  const startNs = now();
  const on = (host: string, match: (e: AgentEvent) => boolean) =>
    cluster.waitForEvent([host], match, startNs, STEP_WAIT_MS);
  const command = cluster
    .command(from, 'clusvcadm', ['-r', 'webservice', '-m', target], STEP_WAIT_MS)
    .then((result) => ({ result, atNs: now() }));
  const [returned, leaderDecidedMs, httpOnNewMs, startedOnNewMs] = await Promise.all([
    command,
    msUntil(run, 'stopping', startNs, on(leader, isStopping)),
    msUntil(
      run,
      'page',
      startNs,
      cluster.waitForAnswer((n) => n === target, startNs, STEP_WAIT_MS),
    ),
    msUntil(
      run,
      'started',
      startNs,
      on(
        target,
        startedOn((n) => n === target),
      ),
    ),
  ]);
  const cmdReturnedMs = msSince(startNs, returned.atNs);
  if (returned.result.code !== 0) {
    // Whatever moved the service afterwards was not this command.
    const error = `clusvcadm: ${returned.result.stdout.trim()}`;
    const unmeasured = { leaderDecidedMs: null, httpOnNewMs: null, startedOnNewMs: null };
    return { ...run, error, cmdReturnedMs, ...unmeasured };
  }
  return { ...run, cmdReturnedMs, leaderDecidedMs, httpOnNewMs, startedOnNewMs };
}

async function powerOffOnce(cluster: FailoverCluster, role: 'leader' | 'follower'): Promise<Run> {
  const victim = await placeOwner(cluster, role);
  const survivors = NODE_NAMES.filter((n) => n !== victim);
  const run: Run = { victim, leader: cluster.leader() as string };
  const startNs = now();
  const onSurvivor = (what: string, match: (e: AgentEvent) => boolean) =>
    msUntil(run, what, startNs, cluster.waitForEvent(survivors, match, startNs, STEP_WAIT_MS));
  const survives = (e: AgentEvent) => survivors.includes(String(e.owner));
  const poweredOff = cluster.network.powerOff(victim);
  const [nodeLostMs, fencedMs, startingOnNewMs, httpOnNewMs, startedOnNewMs] = await Promise.all([
    onSurvivor('lost', (e) => e.event === 'node-lost' && e.node === victim),
    onSurvivor('fenced', (e) => e.event === 'fence-succeeded' && e.victim === victim),
    onSurvivor('starting', (e) => isStarting(e) && survives(e)),
    msUntil(
      run,
      'page',
      startNs,
      cluster.waitForAnswer((n) => survivors.includes(n), startNs, STEP_WAIT_MS),
    ),
    onSurvivor('started', (e) => startedOn()(e) && survives(e)),
    poweredOff,
  ]);
  const measured = { nodeLostMs, fencedMs, startingOnNewMs, httpOnNewMs, startedOnNewMs };
  const after = { newOwner: cluster.owner() ?? null, newLeader: cluster.leader() ?? null };
  const rebooted = await bootAgain(cluster, victim).then(
    () => ({}),
    (error: Error) => ({ rebootError: error.message }),
  );
  return { ...run, ...measured, ...after, ...rebooted };
}

/**
 * The fenced host comes back (the fence's reboot turned it on) and its agent rejoins. A node that
 * rejoins and then misses a token is fenced again (seen at token 300 on a loaded machine): it is
 * booted again, up to a few times, until the leader has kept it a member for a settling time.
 */
async function bootAgain(cluster: FailoverCluster, victim: string): Promise<void> {
  for (let boot = 1; boot <= REBOOTS_BEFORE_GIVING_UP; boot++) {
    if (!cluster.network.isPoweredOn(victim)) await cluster.network.powerOn(victim);
    await cluster.startNodePageServer(victim);
    const mark = now();
    const agent = cluster.startAgent(victim);
    const joined = (e: AgentEvent) =>
      e.event === 'membership-changed' && (e.members as string[]).includes(victim);
    await cluster.waitForEvent([victim], (e) => e.event === 'probe-complete', mark, STEP_WAIT_MS);
    await cluster.waitForEvent(NODE_NAMES, joined, mark, STEP_WAIT_MS);
    await new Promise((resolve) => setTimeout(resolve, Math.max(2000, 4 * cluster.tokenMs)));
    if (agent.exitStatusIfExited === undefined && cluster.members().length === NODE_NAMES.length) {
      return;
    }
    process.stderr.write(`token ${cluster.tokenMs}: ${victim} fell out again after boot ${boot}\n`);
    await agent.waitForExit(STEP_WAIT_MS).catch(() => agent.kill('SIGKILL'));
  }
  throw new Error(`${victim} did not stay a member after ${REBOOTS_BEFORE_GIVING_UP} boots`);
}

const scenarioRuns: Record<FailoverScenario, (cluster: FailoverCluster) => Promise<Run>> = {
  'relocate-owner-follower': (cluster) => relocateOnce(cluster, 'follower'),
  'relocate-owner-leader': (cluster) => relocateOnce(cluster, 'leader'),
  'power-off-owner-follower': (cluster) => powerOffOnce(cluster, 'follower'),
  'power-off-owner-leader': (cluster) => powerOffOnce(cluster, 'leader'),
};

/** A run that could not even be set up (the cluster in flux) is a failed run, not the end. */
async function runOnce(scenario: FailoverScenario, cluster: FailoverCluster): Promise<Run> {
  try {
    return await scenarioRuns[scenario](cluster);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Each agent's own CPU (and its ended agent runs') over an idle window, and its memory. */
/** What `read` returns, or null when the process is gone (its /proc entry with it). */
function ifRunning<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

async function idleUsage(cluster: FailoverCluster, idleSeconds: number) {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_BEFORE_IDLE_MS));
  const agents = NODE_NAMES.map((name) => cluster.agent(name));
  const before = agents.map((agent) => readCpuTicks(agent.pid));
  const startNs = now();
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const seconds = Number(now() - startNs) / 1e9;
  // An agent that a (false) fence ended during the window has no numbers: null, and it is said.
  const after = agents.map((agent) => ifRunning(() => readCpuTicks(agent.pid)));
  const resident = agents.map((agent) => ifRunning(() => readResidentMiB(agent.pid)));
  const alive = (i: number) => after[i] !== null && resident[i] !== null;
  const percent = (i: number, part: (t: CpuTicks) => number) => {
    const [start, end] = [before[i], after[i]];
    return start && end ? cpuPercent(part(start), part(end), seconds) : null;
  };
  return {
    windowSeconds: Math.round(seconds * 10) / 10,
    idleCpuPercentOfOneCore: agents.map((_, i) => percent(i, (t) => t.own)),
    idleCpuPercentWithAgentRuns: agents.map((_, i) => percent(i, (t) => t.own + t.children)),
    residentMiB: resident,
    agentsEndedDuringWindow: NODE_NAMES.filter((_, i) => !alive(i)),
    loadAverage: round2(loadavg()),
  };
}

/**
 * How long `clusvcadm -h` takes to run on a host: the part of every relocation that is the
 * command's own start (Node.js loading the CLI), not the cluster's work.
 */
async function cliStart(cluster: FailoverCluster) {
  const times: Measured[] = [];
  for (let i = 0; i < CLI_START_SAMPLES; i++) {
    const startNs = now();
    const result = await cluster.command(
      NODE_NAMES[0] as string,
      'clusvcadm',
      ['-h'],
      STEP_WAIT_MS,
    );
    // It prints its usage and exits 1: what counts is that it ran.
    times.push(result.code === null ? null : msSince(startNs, now()));
  }
  return summarize(times);
}

async function benchToken(tokenMs: number, options: ReturnType<typeof parseFailoverOptions>) {
  const startNs = now();
  const { pageServer, bundle } = options;
  const cluster = await FailoverCluster.start(tokenMs, FORM_WAIT_MS, { pageServer, bundle });
  active = cluster;
  try {
    const formedMs = msSince(startNs, now());
    const agents = await idleUsage(cluster, options.idleSeconds);
    const cliStartMs = await cliStart(cluster);
    const scenarios: Record<string, { runs: Run[]; summary: Record<string, unknown> }> = {};
    for (const scenario of options.scenarios) {
      const runs: Run[] = [];
      let failedInARow = 0;
      for (let i = 1; i <= options.runs && failedInARow < GIVE_UP_AFTER_FAILURES; i++) {
        const run: Run = { run: i, ...(await runOnce(scenario, cluster)) };
        failedInARow = run.error === undefined ? 0 : failedInARow + 1;
        runs.push(run);
        process.stderr.write(`token ${tokenMs} ${scenario} #${i}: ${JSON.stringify(run)}\n`);
      }
      const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))].filter((k) =>
        k.endsWith('Ms'),
      );
      const summary = Object.fromEntries(
        keys.map((key) => [key, summarize(runs.map((r) => (r[key] ?? null) as Measured))]),
      );
      scenarios[scenario] = { runs, summary };
    }
    return {
      tokenMs,
      pageServer,
      runId: cluster.network.runId,
      formedMs,
      agents,
      cliStartMs,
      scenarios,
    };
  } finally {
    if (options.logsDir !== undefined) cluster.writeLogs(options.logsDir, `token-${tokenMs}`);
    await cluster.close();
  }
}

/** The cluster being measured: an interrupted benchmark removes its test hosts. */
let active: FailoverCluster | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench:failover: ${signal}, removing the test hosts\n`);
    void (active?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      'token-ms': { type: 'string' },
      scenarios: { type: 'string' },
      'idle-seconds': { type: 'string' },
      json: { type: 'string' },
      logs: { type: 'string' },
      'page-server': { type: 'string' },
      bundle: { type: 'string' },
    },
  });
  const options = parseFailoverOptions(values);
  const skip = e2eSkipReason();
  if (skip !== undefined) throw new Error(`bench:failover needs test hosts: ${skip}`);
  const loadAtStart = round2(loadavg());
  const tokens = [];
  for (const tokenMs of options.tokenMs) tokens.push(await benchToken(tokenMs, options));
  const document = {
    benchmark: 'failover',
    definitions: 'e2e/src/bench-failover.ts; the same as ../shared/peers/README.md',
    probe: { from: 'client', intervalMs: PROBE_INTERVAL_MS, timeoutMs: PROBE_TIMEOUT_MS },
    runsPerScenario: options.runs,
    cpus: cpus().length,
    loadAverage: { atStart: loadAtStart, atEnd: round2(loadavg()) },
    tokens,
  };
  const rows: SummaryRow[] = tokens.flatMap((token) =>
    Object.entries(token.scenarios).flatMap(([scenario, { summary }]) =>
      Object.entries(summary).map(([metric, s]) => ({
        tokenMs: token.tokenMs,
        scenario,
        metric,
        summary: s as SummaryRow['summary'],
      })),
    ),
  );
  process.stdout.write(`${formatTable(rows)}\n`);
  const perAgent = (values: ReadonlyArray<number | null>) =>
    values.map((value) => value ?? 'gone').join(' / ');
  for (const token of tokens) {
    const { residentMiB, idleCpuPercentOfOneCore } = token.agents;
    process.stdout.write(
      `token ${token.tokenMs}: agents ${perAgent(residentMiB)} MiB resident, ` +
        `idle CPU ${perAgent(idleCpuPercentOfOneCore)} % of one core, ` +
        `clusvcadm starts in ${token.cliStartMs.medianMs ?? '-'} ms (median)\n`,
    );
  }
  const text = `${JSON.stringify(document, null, 1)}\n`;
  if (options.jsonFile !== undefined) writeFileSync(options.jsonFile, text);
  process.stdout.write(text);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:failover: ${(error as Error).message}\n`);
  process.exit(1);
});
