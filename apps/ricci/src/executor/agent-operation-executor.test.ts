// The executor runs real agents: the built-in `script` agent over an LSB script, Debian's
// ocf:heartbeat:Dummy and fence_dummy, and small test agents in a temporary OCF root and fence
// folder. Tests wait for delivered results (or for an agent to write into a named pipe), never
// for time to pass.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentOp, FenceOp } from '@quorate/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FenceAgentRunner } from '../agent-runner/fence-agent-runner.js';
import { ResourceAgentRunner } from '../agent-runner/resource-agent-runner.js';
import { debianAgentsSkipReason, debianFenceDummy } from '../agent-runner/test-requirements.js';
import {
  AgentOperationExecutor,
  type AgentOperationExecutorOptions,
} from './agent-operation-executor.js';
import type { ExecutorLogLevel } from './executor-log.js';
import type { ExecutorResult } from './run-operation.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-executor-'));
const ocfRoot = join(dir, 'ocf');
const fenceDir = join(dir, 'fence');
mkdirSync(join(ocfRoot, 'resource.d', 'test'), { recursive: true });
mkdirSync(fenceDir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function executable(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

// ocf:test:tool does what OCF_RESKEY_mode says; every mode but `exit` succeeds.
executable(
  join(ocfRoot, 'resource.d', 'test', 'tool'),
  `case "$OCF_RESKEY_mode" in
env) echo "$1|$OCF_RESOURCE_INSTANCE|$OCF_CHECK_LEVEL|$OCF_RESKEY_color|$OCF_RESKEY_CRM_meta_timeout" >> "$OCF_RESKEY_log" ;;
exit) exit "$OCF_RESKEY_code" ;;
args) echo "$*|$OCF_RESKEY_CRM_meta_migrate_target|$OCF_RESKEY_CRM_meta_migrate_source" >> "$OCF_RESKEY_log" ;;
hang) sleep 300 & echo "$$ $!" > "$OCF_RESKEY_pids"; wait ;;
read) read -r line < "$OCF_RESKEY_fifo"; echo "$OCF_RESKEY_name read $line" >> "$OCF_RESKEY_log" ;;
write) echo "$OCF_RESKEY_name" > "$OCF_RESKEY_fifo" ;;
chatty) i=0; while [ $i -lt 30 ]; do echo "line $i"; i=$((i+1)); done
  head -c 500 /dev/zero | tr '\\0' x; echo; echo "to stderr" >&2 ;;
esac
exit 0`,
);

// fence_test reads its key=value input and acts on `mode`, logging `action nodename`.
executable(
  join(fenceDir, 'fence_test'),
  `input=$(cat)
get() { printf '%s\\n' "$input" | sed -n "s/^$1=//p" | tail -n 1; }
echo "$(get action) $(get nodename) $(get port)" >> "$(get log)"
case "$(get mode)" in
fail) exit 1 ;;
read) read -r line < "$(get fifo)" ;;
write) exec 3<>"$(get fifo)"; echo go >&3 ;;
write-wait) echo go > "$(get fifo)" ;;
esac
exit 0`,
);

/** A named pipe: whoever opens it first waits for the other side. */
function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** Running and not a zombie. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

let seq = 0;

function agentOp(
  service: string,
  type: string,
  action: AgentOp['action'],
  params: Record<string, string>,
  extra: Partial<AgentOp> = {},
): AgentOp {
  const primary = params.name ?? params.state ?? '';
  return {
    opId: `n1.1.${++seq}`,
    service,
    resource: `${type}:${primary}`,
    type,
    action,
    depth: 0,
    timeoutMs: 10_000,
    params,
    purpose: 'transition',
    ...extra,
  };
}

function fenceOp(victim: string, params: Record<string, string>, agent = 'fence_test'): FenceOp {
  return {
    opId: `fence.${victim}.1.${++seq}`,
    victim,
    method: 'power',
    device: 'pdu',
    agent,
    params: { nodename: victim, ...params },
  };
}

interface Logged {
  readonly level: ExecutorLogLevel;
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

const open: AgentOperationExecutor[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

/** An executor over the test agents, with what it delivered and logged. */
function harness(options: Partial<AgentOperationExecutorOptions> = {}) {
  const inputs: ExecutorResult[] = [];
  const logs: Logged[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const executor = new AgentOperationExecutor({
    onInput: (input) => {
      inputs.push(input);
      for (const w of waiters.filter((w) => inputs.length >= w.count)) w.resolve();
    },
    log: (level, event, fields = {}) => logs.push({ level, event, fields }),
    resourceAgents: new ResourceAgentRunner({ ocfRoot, killGraceMs: 200 }),
    fenceAgents: new FenceAgentRunner({ agentDirs: [fenceDir, '/usr/sbin'], killGraceMs: 200 }),
    ...options,
  });
  open.push(executor);
  /** The first `count` results, once delivered. */
  const results = async (count: number): Promise<ExecutorResult[]> => {
    if (inputs.length < count)
      await new Promise<void>((resolve) => waiters.push({ count, resolve }));
    return inputs.slice(0, count);
  };
  const codes = async (ops: readonly AgentOp[]) => {
    const got = await results(ops.length);
    expect(got.map((r) => r.opId)).toEqual(ops.map((o) => o.opId));
    return got.map((r) => (r.type === 'agent-result' ? r.code : Number.NaN));
  };
  return { executor, inputs, logs, results, codes };
}

const life = (service: string, type: string, params: Record<string, string>) => [
  agentOp(service, type, 'status', params, { purpose: 'probe' }),
  agentOp(service, type, 'start', params),
  agentOp(service, type, 'status', params, { purpose: 'status' }),
  agentOp(service, type, 'stop', params),
  agentOp(service, type, 'status', params, { purpose: 'status' }),
];

describe('AgentOperationExecutor: resource agents', () => {
  it('runs the built-in script agent over an LSB script: probe, start, status, stop', async () => {
    const state = join(dir, 'app.state');
    const script = join(dir, 'app-init');
    executable(
      script,
      `case "$1" in
start) touch ${state} ;;
stop) rm -f ${state} ;;
status) [ -e ${state} ] && exit 0; exit 3 ;;
esac`,
    );
    const { executor, codes } = harness();
    const ops = life('service:web', 'script', { name: 'app', file: script });
    executor.run({ agentOps: ops, fenceOps: [] });
    expect(await codes(ops)).toEqual([7, 0, 0, 0, 7]);
  });

  it('passes the instance, check level, parameters and timeout; status is monitor for OCF', async () => {
    const log = join(dir, 'env.log');
    const marker = join(dir, 'injected');
    const { executor, codes } = harness();
    const color = `blue; $(touch ${marker})`;
    const params = { name: 'e1', mode: 'env', log, color };
    const ops = [
      agentOp('service:env', 'ocf:test:tool', 'start', params, { timeoutMs: 4_000 }),
      agentOp('service:env', 'ocf:test:tool', 'status', params, { depth: 10, timeoutMs: 3_000 }),
    ];
    executor.run({ agentOps: ops, fenceOps: [] });
    expect(await codes(ops)).toEqual([0, 0]);
    expect(readFileSync(log, 'utf8')).toBe(
      `start|ocf:test:tool:e1|0|${color}|4000\nmonitor|ocf:test:tool:e1|10|${color}|3000\n`,
    );
    expect(() => readFileSync(marker)).toThrow();
  });

  it('delivers the OCF code of a failing start, a generic failure for a non-OCF code', async () => {
    const { executor, codes, logs } = harness();
    const ops = [
      agentOp('service:a', 'ocf:test:tool', 'start', { name: 'a', mode: 'exit', code: '6' }),
      agentOp('service:a', 'ocf:test:tool', 'start', { name: 'b', mode: 'exit', code: '42' }),
      agentOp('service:a', 'ocf:test:absent', 'start', { name: 'c' }),
      agentOp('service:a', 'vm', 'start', { name: 'd' }),
    ];
    executor.run({ agentOps: ops, fenceOps: [] });
    expect(await codes(ops)).toEqual([6, 1, 5, 5]);
    const finished = logs.filter((l) => l.event === 'agent-op-finished');
    expect(finished.map((l) => [l.level, l.fields.outcome])).toEqual([
      ['warn', 'notConfigured (6)'],
      ['warn', 'exit code 42 is not an OCF code (0-7): treated as a generic error'],
      ['warn', expect.stringMatching(/^not started: .*ENOENT/)],
      ['warn', 'not started: type vm: no built-in agent of that type (use ocf:PROVIDER:TYPE)'],
    ]);
  });

  it('kills a hanging agent and its children at the timeout: a generic failure', async () => {
    const pids = join(dir, 'hang.pids');
    const { executor, codes, logs } = harness();
    const op = agentOp(
      'service:h',
      'ocf:test:tool',
      'start',
      { name: 'h', mode: 'hang', pids },
      {
        timeoutMs: 300,
      },
    );
    executor.run({ agentOps: [op], fenceOps: [] });
    expect(await codes([op])).toEqual([1]);
    const [shell, sleeper] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
    expect(isAlive(shell!)).toBe(false);
    expect(isAlive(sleeper!)).toBe(false);
    expect(logs.find((l) => l.event === 'agent-op-finished')?.fields).toMatchObject({
      code: 1,
      outcome: 'timed out after 300 ms (process group killed)',
    });
  });

  it('migrates: migrate_to with the target for OCF agents, migrate TARGET for rgmanager types', async () => {
    const log = join(dir, 'migrate.log');
    const builtinAgentsDir = join(dir, 'builtin');
    mkdirSync(builtinAgentsDir);
    executable(join(builtinAgentsDir, 'ip'), `echo "$*" >> "$OCF_RESKEY_log"`);
    const resourceAgents = new ResourceAgentRunner({ ocfRoot, builtinAgentsDir });
    const { executor, codes } = harness({ resourceAgents, node: 'n1' });
    const ops = [
      agentOp(
        'vm:g',
        'ocf:test:tool',
        'migrate',
        { name: 'g', mode: 'args', log },
        { target: 'n3' },
      ),
      agentOp('vm:g', 'ip', 'migrate', { address: '10.0.0.1', log }, { target: 'n2' }),
    ];
    executor.run({ agentOps: ops, fenceOps: [] });
    expect(await codes(ops)).toEqual([0, 0]);
    expect(readFileSync(log, 'utf8')).toBe('migrate_to|n3|n1\nmigrate n2\n');
  });

  it('runs the service root in the daemon and keeps its record across a restart', async () => {
    const markerDir = join(dir, 'run-services');
    const first = harness({ serviceMarkerDir: markerDir });
    const ops = life('service:svc1', 'service', { name: 'svc1' });
    first.executor.run({ agentOps: ops, fenceOps: [] });
    expect(await first.codes(ops)).toEqual([7, 0, 0, 0, 7]);
    const start = agentOp('service:svc1', 'service', 'start', { name: 'svc1' });
    first.executor.run({ agentOps: [start], fenceOps: [] });
    await first.results(ops.length + 1);
    // A restarted daemon (a new executor over the same folder) finds the service running.
    const second = harness({ serviceMarkerDir: markerDir });
    const probe = agentOp('service:svc1', 'service', 'status', { name: 'svc1' });
    second.executor.run({ agentOps: [probe], fenceOps: [] });
    expect(await second.codes([probe])).toEqual([0]);
  });

  it('logs each output line, bounded in length and number', async () => {
    const { executor, results, logs } = harness({ outputLogLimits: { lineChars: 100, lines: 20 } });
    const op = agentOp('service:c', 'ocf:test:tool', 'start', { name: 'c', mode: 'chatty' });
    executor.run({ agentOps: [op], fenceOps: [] });
    await results(1);
    const lines = logs.filter((l) => l.event === 'agent-output');
    const stdout = lines.filter((l) => l.fields.stream === 'stdout').map((l) => l.fields.line);
    expect(stdout).toHaveLength(21);
    expect(stdout[0]).toBe('line 0');
    expect(stdout.at(-1)).toBe('[11 more lines]');
    const stderr = lines.filter((l) => l.fields.stream === 'stderr');
    expect(stderr.map((l) => l.fields.line)).toEqual(['to stderr']);
    expect(lines.every((l) => l.level === 'info' && l.fields.opId === op.opId)).toBe(true);
    const long = harness({ outputLogLimits: { lineChars: 100, lines: 40 } });
    long.executor.run({ agentOps: [{ ...op, opId: 'n1.1.long' }], fenceOps: [] });
    await long.results(1);
    const lastLine = long.logs.filter((l) => l.event === 'agent-output').at(-2);
    expect(lastLine?.fields.line).toBe(`${'x'.repeat(100)} [400 more characters]`);
  });
});

describe.skipIf(debianAgentsSkipReason())('AgentOperationExecutor: Debian agents', () => {
  it('runs ocf:heartbeat:Dummy: probe, start, monitor, stop', async () => {
    const { executor, codes } = harness({ resourceAgents: new ResourceAgentRunner() });
    const ops = life('service:dummy', 'ocf:heartbeat:Dummy', { state: join(dir, 'dummy.state') });
    executor.run({ agentOps: ops, fenceOps: [] });
    expect(await codes(ops)).toEqual([7, 0, 0, 0, 7]);
  });

  it('fences with fence_dummy: on and reboot succeed, its failure mode fails', async () => {
    const { executor, results } = harness();
    const statusFile = join(dir, 'fence-dummy.status');
    const agent = debianFenceDummy;
    const ops = [
      fenceOp('n2', { status_file: statusFile, action: 'on' }, agent),
      fenceOp('n2', { status_file: statusFile }, agent),
      fenceOp('n2', { type: 'fail', power_timeout: '1', action: 'off' }, agent),
    ];
    executor.run({ agentOps: [], fenceOps: ops });
    const got = await results(3);
    expect(got).toEqual(ops.map((o, i) => ({ type: 'fence-result', opId: o.opId, ok: i < 2 })));
    expect(readFileSync(statusFile, 'utf8')).toBe('on');
  });
});

describe('AgentOperationExecutor: order and concurrency', () => {
  it("runs one service's operations one at a time, in the order given", async () => {
    const log = join(dir, 'order.log');
    const pids = join(dir, 'order.pids');
    const { executor, codes } = harness();
    const ops = [
      agentOp(
        'service:o',
        'ocf:test:tool',
        'start',
        { name: 'first', mode: 'hang', pids },
        {
          timeoutMs: 300,
        },
      ),
      agentOp('service:o', 'ocf:test:tool', 'start', { name: 'second', mode: 'env', log }),
    ];
    executor.run({ agentOps: ops, fenceOps: [] });
    // Had the second run beside the first, it would have finished (and been delivered) first.
    expect(await codes(ops)).toEqual([1, 0]);
  });

  it('runs different services side by side', async () => {
    const pipe = fifo('meet');
    const log = join(dir, 'meet.log');
    const { executor, results } = harness();
    // Each needs the other running: the reader waits for a writer and the writer for a reader.
    const ops = [
      agentOp('service:r', 'ocf:test:tool', 'start', { name: 'r', mode: 'read', fifo: pipe, log }),
      agentOp('service:w', 'ocf:test:tool', 'start', { name: 'w', mode: 'write', fifo: pipe }),
    ];
    executor.run({ agentOps: ops, fenceOps: [] });
    const got = await results(2);
    expect(got).toEqual(
      expect.arrayContaining(ops.map((o) => ({ type: 'agent-result', opId: o.opId, code: 0 }))),
    );
    expect(readFileSync(log, 'utf8')).toBe('r read w\n');
  });

  it("runs one victim's fence operations in order, different victims side by side", async () => {
    const log = join(dir, 'fence-order.log');
    const meet = fifo('fence-meet');
    const late = fifo('fence-late');
    const { executor, results } = harness({ fenceTimeoutMs: 1_000 });
    const ops = [
      // n2: the first waits for a writer the second would be; in order, the first times out.
      fenceOp('n2', { log, mode: 'read', fifo: late, action: 'off' }),
      fenceOp('n2', { log, mode: 'write', fifo: late, action: 'on' }),
      // n3 and n4 need each other running.
      fenceOp('n3', { log, mode: 'read', fifo: meet }),
      fenceOp('n4', { log, mode: 'write-wait', fifo: meet, port: '4' }),
    ];
    executor.run({ agentOps: [], fenceOps: ops });
    const got = await results(4);
    const okOf = new Map(got.map((r) => [r.opId, r.type === 'fence-result' && r.ok]));
    expect(ops.map((o) => okOf.get(o.opId))).toEqual([false, true, true, true]);
    expect(got.map((r) => r.opId).indexOf(ops[0]!.opId)).toBeLessThan(
      got.map((r) => r.opId).indexOf(ops[1]!.opId),
    );
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean).sort();
    expect(lines).toEqual(['off n2 ', 'on n2 ', 'reboot n3 ', 'reboot n4 4']);
  });

  it('runs an operation handed out again while it runs once', async () => {
    const log = join(dir, 'once.log');
    const { executor, results, inputs } = harness();
    const op = agentOp('service:once', 'ocf:test:tool', 'start', { name: 'o', mode: 'env', log });
    const work = { agentOps: [op], fenceOps: [] };
    executor.run(work);
    executor.run(work);
    const next = agentOp('service:once', 'ocf:test:tool', 'stop', { name: 'o', mode: 'env', log });
    executor.run({ agentOps: [op, next], fenceOps: [] });
    await results(2);
    expect(inputs.map((r) => r.opId)).toEqual([op.opId, next.opId]);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('runs an id again once its result was delivered (a new leader restarts its fence ids)', async () => {
    const log = join(dir, 'again.log');
    const { executor, results } = harness();
    const op = fenceOp('n8', { log });
    executor.run({ agentOps: [], fenceOps: [op] });
    await results(1);
    executor.run({ agentOps: [], fenceOps: [op] });
    const got = await results(2);
    expect(got.map((r) => r.type === 'fence-result' && r.ok)).toEqual([true, true]);
    expect(readFileSync(log, 'utf8')).toBe('reboot n8 \nreboot n8 \n');
  });

  it('an emergency stop kills the hung status check of its service instead of waiting', async () => {
    const pids = join(dir, 'preempt.pids');
    const { executor, codes, logs } = harness();
    const hung = agentOp(
      'service:p',
      'ocf:test:tool',
      'status',
      { name: 'p', mode: 'hang', pids },
      {
        timeoutMs: 60_000,
        purpose: 'status',
      },
    );
    const stop = agentOp(
      'service:p',
      'ocf:test:tool',
      'stop',
      { name: 'p', mode: 'exit', code: '0' },
      {
        purpose: 'emergency-stop',
      },
    );
    executor.run({ agentOps: [hung], fenceOps: [] });
    executor.run({ agentOps: [stop], fenceOps: [] });
    expect(await codes([hung, stop])).toEqual([1, 0]);
    expect(logs.find((l) => l.event === 'agent-op-preempted')?.fields).toEqual({
      opId: hung.opId,
      by: stop.opId,
    });
  });
});

describe('AgentOperationExecutor: the limit on agents running at once', () => {
  it('starts no more agents than the limit; waiting services go first come, first served', async () => {
    const log = join(dir, 'limit.log');
    const pids = join(dir, 'limit.pids');
    const { executor, results } = harness({ maxConcurrentAgents: 1 });
    const hung = agentOp(
      'service:a',
      'ocf:test:tool',
      'start',
      { name: 'a', mode: 'hang', pids },
      {
        timeoutMs: 300,
      },
    );
    const b = agentOp('service:b', 'ocf:test:tool', 'start', { name: 'b', mode: 'env', log });
    const c = agentOp('service:c', 'ocf:test:tool', 'start', { name: 'c', mode: 'env', log });
    executor.run({ agentOps: [hung, b, c], fenceOps: [] });
    // With a place each, b and c would have finished long before a's timeout.
    expect((await results(3)).map((r) => r.opId)).toEqual([hung.opId, b.opId, c.opId]);
  });

  it('lets emergency stops and fence runs past the limit', async () => {
    const pids = join(dir, 'limit-bypass.pids');
    const { executor, results } = harness({ maxConcurrentAgents: 1 });
    const hung = agentOp(
      'service:a',
      'ocf:test:tool',
      'start',
      { name: 'a', mode: 'hang', pids },
      {
        timeoutMs: 60_000,
      },
    );
    const stop = agentOp(
      'service:b',
      'ocf:test:tool',
      'stop',
      { name: 'b', mode: 'exit', code: '0' },
      {
        purpose: 'emergency-stop',
      },
    );
    const fence = fenceOp('n9', { log: join(dir, 'limit-fence.log') });
    executor.run({ agentOps: [hung, stop], fenceOps: [fence] });
    const got = await results(2);
    expect(got.map((r) => r.opId).sort()).toEqual([stop.opId, fence.opId].sort());
  });

  it('refuses a limit below one, naming the option', () => {
    expect(() => harness({ maxConcurrentAgents: 0 })).toThrow(
      'maxConcurrentAgents: must be a whole number of at least 1',
    );
  });
});

describe('AgentOperationExecutor: manual fencing and shutdown', () => {
  it('a fence_manual operation succeeds when the operator acknowledges', async () => {
    const { executor, results } = harness();
    const op = fenceOp('n5', { port: 'outlet-9' }, 'fence_manual');
    executor.run({ agentOps: [], fenceOps: [op] });
    expect(executor.pendingManualFences()).toEqual(['n5']);
    expect(executor.acknowledgeManualFence('n6')).toBe(false);
    expect(executor.acknowledgeManualFence('n5', 'fence_ack_manual by root')).toBe(true);
    expect(await results(1)).toEqual([{ type: 'fence-result', opId: op.opId, ok: true }]);
  });

  it('refuses a device action that does not fence', async () => {
    const { executor, results, logs } = harness();
    const op = fenceOp('n2', { action: 'status' });
    executor.run({ agentOps: [], fenceOps: [op] });
    expect(await results(1)).toEqual([{ type: 'fence-result', opId: op.opId, ok: false }]);
    expect(logs.find((l) => l.event === 'fence-op-refused')?.fields.message).toBe(
      'fence device pdu (method power): action=status does not fence a node (use off, on or reboot)',
    );
  });

  it('close() kills running agents, ends manual waits, drops the queue, delivers nothing', async () => {
    const pids = fifo('close.pids');
    const { executor, inputs, logs } = harness();
    const hung = agentOp(
      'service:x',
      'ocf:test:tool',
      'start',
      { name: 'x', mode: 'hang', pids },
      {
        timeoutMs: 60_000,
      },
    );
    const queued = agentOp('service:x', 'ocf:test:tool', 'stop', {
      name: 'x',
      mode: 'exit',
      code: '0',
    });
    executor.run({ agentOps: [hung, queued], fenceOps: [fenceOp('n7', {}, 'fence_manual')] });
    const [shell, sleeper] = (await readFile(pids, 'utf8')).trim().split(' ').map(Number);
    expect(isAlive(sleeper!)).toBe(true);
    await executor.close();
    expect(isAlive(shell!)).toBe(false);
    expect(isAlive(sleeper!)).toBe(false);
    expect(executor.pendingManualFences()).toEqual([]);
    expect(inputs).toEqual([]);
    expect(logs.filter((l) => l.event.endsWith('-finished')).map((l) => l.fields.outcome)).toEqual(
      expect.arrayContaining(['cancelled (process group killed)', { kind: 'cancelled' }]),
    );
    expect(logs.find((l) => l.event === 'agent-op-dropped')?.fields.opId).toBe(queued.opId);
    executor.run({ agentOps: [queued], fenceOps: [] });
    expect(logs.at(-1)).toMatchObject({ event: 'executor-closed', fields: { ignoredOps: 1 } });
  });
});
