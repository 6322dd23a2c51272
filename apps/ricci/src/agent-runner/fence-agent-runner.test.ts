import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseClusterConf } from '@quorate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FenceAgentRunner, type FenceResult, isFenceSuccess } from './fence-agent-runner.js';
import { fenceInputPairs, redactedFenceInput } from './fence-input.js';
import { fenceMethodsFor, fenceNode } from './fence-methods.js';
import { debianAgentsSkipReason, debianFenceDummy } from './test-requirements.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-fence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fenceAgent(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const logged: FenceResult[] = [];
const runner = new FenceAgentRunner({
  agentDirs: [dir],
  killGraceMs: 200,
  log: (r) => logged.push(r),
});

describe('fence agent input', () => {
  it('writes device arguments, node arguments, nodename, then the action', () => {
    const pairs = fenceInputPairs({
      device: { name: 'ipmi1', agent: 'fence_ipmilan', ipaddr: '10.0.0.9', passwd: 's3cret' },
      nodeArgs: { name: 'ipmi1', port: '3', action: 'on' },
      nodename: 'node2',
      action: 'off',
    });
    expect(pairs).toEqual([
      ['ipaddr', '10.0.0.9'],
      ['passwd', 's3cret'],
      ['port', '3'],
      ['action', 'on'],
      ['nodename', 'node2'],
      ['action', 'off'],
    ]);
    expect(redactedFenceInput(pairs)).toBe(
      'ipaddr=10.0.0.9\npasswd=***\nport=3\naction=on\nnodename=node2\naction=off\n',
    );
  });

  it('refuses a value that would forge another line', () => {
    expect(() => fenceInputPairs({ device: { login: 'admin\naction=on' }, action: 'off' })).toThrow(
      'device/@login: a value may not contain a line break or NUL',
    );
  });
});

describe('FenceAgentRunner', () => {
  const echo = fenceAgent(
    'fence_echo',
    'echo "argc=$#"; cat; echo "pw is $(grep ^passwd= | cut -d= -f2)" >&2; exit 0',
  );

  it('passes arguments on stdin only and keeps secrets out of its results', async () => {
    const result = await runner.run({
      agent: 'fence_echo',
      action: 'reboot',
      device: { ipaddr: 'pdu; $(reboot)', passwd: 'hunter2', snmp_priv_passwd: 'x9' },
      nodeArgs: { port: '4' },
      nodename: 'node3',
    });
    expect(result.outcome).toEqual({ kind: 'success' });
    expect(result.stdout).toBe(
      'argc=0\nipaddr=pdu; $(reboot)\npasswd=***\nsnmp_priv_passwd=***\nport=4\nnodename=node3\naction=reboot\n',
    );
    expect(JSON.stringify(logged.at(-1))).not.toMatch(/hunter2|x9/);
    expect(echo).toContain('fence_echo');
  });

  it('maps status exit codes to power states and other failures to codes', async () => {
    fenceAgent('fence_code', 'code=$(grep ^code= | cut -d= -f2); exit "$code"');
    const run = (action: 'status' | 'off', code: number) =>
      runner
        .run({ agent: 'fence_code', action, device: { code: String(code) } })
        .then((r) => r.outcome);
    expect(await run('status', 0)).toEqual({ kind: 'power', state: 'on' });
    expect(await run('status', 2)).toEqual({ kind: 'power', state: 'off' });
    expect(await run('status', 1)).toEqual({ kind: 'failed', code: 1 });
    expect(await run('off', 0)).toEqual({ kind: 'success' });
    expect(await run('off', 1)).toEqual({ kind: 'failed', code: 1 });
  });

  it('kills a hanging agent at its timeout: a failed fence', async () => {
    fenceAgent('fence_hang', 'sleep 300');
    const result = await runner.run({
      agent: 'fence_hang',
      action: 'off',
      device: {},
      timeoutMs: 300,
    });
    expect(result.outcome).toEqual({ kind: 'timeout', timeoutMs: 300 });
    expect(isFenceSuccess(result.outcome)).toBe(false);
  });

  it('runs only fence_* agents that exist', async () => {
    const notFence = await runner.run({ agent: '/bin/sh', action: 'off', device: {} });
    const missing = await runner.run({ agent: 'fence_nowhere', action: 'off', device: {} });
    const relative = await runner.run({ agent: '../fence_echo', action: 'off', device: {} });
    expect(notFence.outcome).toMatchObject({
      kind: 'not-started',
      message: expect.stringMatching(/named fence_/),
    });
    expect(missing.outcome).toMatchObject({
      kind: 'not-started',
      message: expect.stringMatching(/not installed/),
    });
    expect(relative.outcome).toMatchObject({ kind: 'not-started' });
  });

  it('waits for fence_manual until an operator acknowledges', async () => {
    const pending = runner.run({
      agent: 'fence_manual',
      action: 'off',
      device: {},
      nodename: 'node2',
    });
    expect(runner.pendingManualFences()).toEqual(['node2']);
    expect(runner.acknowledgeManualFence('node9', 'root')).toBe(false);
    expect(runner.acknowledgeManualFence('node2', 'fence_ack_manual by root')).toBe(true);
    const result = await pending;
    expect(result.outcome).toEqual({ kind: 'acknowledged', by: 'fence_ack_manual by root' });
    expect(isFenceSuccess(result.outcome)).toBe(true);
    expect(runner.pendingManualFences()).toEqual([]);
  });
});

describe('FenceAgentRunner cancellation', () => {
  it('ends a fence_manual wait when the caller aborts', async () => {
    const abort = new AbortController();
    const pending = runner.run(
      { agent: 'fence_manual', action: 'off', device: {}, nodename: 'node4' },
      abort.signal,
    );
    expect(runner.pendingManualFences()).toEqual(['node4']);
    abort.abort();
    const result = await pending;
    expect(result.outcome).toEqual({ kind: 'cancelled' });
    expect(isFenceSuccess(result.outcome)).toBe(false);
    expect(runner.pendingManualFences()).toEqual([]);
    expect(runner.acknowledgeManualFence('node4', 'root')).toBe(false);
  });

  it('kills a running fence agent when the caller aborts', async () => {
    fenceAgent('fence_hang', 'exec sleep 300');
    const abort = new AbortController();
    const pending = runner.run({ agent: 'fence_hang', action: 'off', device: {} }, abort.signal);
    abort.abort();
    expect((await pending).outcome).toEqual({ kind: 'cancelled' });
  });
});

describe.skipIf(debianAgentsSkipReason())("Debian's fence_dummy, unchanged", () => {
  const debian = new FenceAgentRunner();
  const statusFile = join(dir, 'dummy-status');
  const run = (
    action: 'off' | 'on' | 'reboot' | 'status' | 'list' | 'monitor',
    device: Record<string, string>,
  ) => debian.run({ agent: 'fence_dummy', action, device, nodename: 'node2', timeoutMs: 20_000 });

  it('powers off and on through its status file', async () => {
    const device = { status_file: statusFile, passwd: 'dummy-secret' };
    // A missing status file reads as off, so power on first.
    expect((await run('on', device)).outcome).toEqual({ kind: 'success' });
    expect(readFileSync(statusFile, 'utf8')).toBe('on');
    expect((await run('status', device)).outcome).toEqual({ kind: 'power', state: 'on' });
    expect((await run('off', device)).outcome).toEqual({ kind: 'success' });
    expect(readFileSync(statusFile, 'utf8')).toBe('off');
    expect((await run('status', device)).outcome).toEqual({ kind: 'power', state: 'off' });
    const reboot = await run('reboot', device);
    expect(reboot.outcome).toEqual({ kind: 'success' });
    // fence_dummy complains about the unknown passwd option, echoing it: the result must not.
    expect(reboot.stderr).toContain('passwd=***');
    expect(reboot.stderr).not.toContain('dummy-secret');
    expect(debian.locate('fence_dummy')).toEqual({ path: debianFenceDummy });
  });

  it('fails in its failure mode and for list', async () => {
    // power_timeout: how long fence_dummy waits for the state change that never comes.
    const failed = await run('off', { type: 'fail', power_timeout: '1' });
    expect(failed.outcome).toEqual({ kind: 'failed', code: 1 });
    expect((await run('list', { status_file: statusFile })).outcome).toEqual({
      kind: 'failed',
      code: 1,
    });
  });
});

describe('fence methods', () => {
  const conf = parseClusterConf(`<?xml version="1.0"?>
<cluster name="c" config_version="1">
  <clusternodes>
    <clusternode name="node2" nodeid="2">
      <fence>
        <method name="power"><device name="pdu" port="7"/></method>
        <method name="fabric"><device name="sw1" port="3"/><device name="sw2" port="4"/></method>
      </fence>
    </clusternode>
    <clusternode name="node3" nodeid="3">
      <fence><method name="power"><device name="nowhere"/></method></fence>
    </clusternode>
  </clusternodes>
  <fencedevices>
    <fencedevice name="pdu" agent="fence_code" code="1" passwd="pdu-secret"/>
    <fencedevice name="sw1" agent="fence_code" code="0"/>
    <fencedevice name="sw2" agent="fence_echo"/>
  </fencedevices>
</cluster>`);

  it('tries the methods in order until every device of one succeeds', async () => {
    fenceAgent('fence_code', 'code=$(grep ^code= | cut -d= -f2); exit "$code"');
    const methods = fenceMethodsFor(conf, 'node2');
    expect(methods.map((m) => [m.name, m.operations.map((o) => o.agent)])).toEqual([
      ['power', ['fence_code']],
      ['fabric', ['fence_code', 'fence_echo']],
    ]);
    const result = await fenceNode(runner, methods);
    expect(result.success).toBe(true);
    expect(result.method).toBe('fabric');
    expect(result.runs.map((r) => r.outcome.kind)).toEqual(['failed', 'success', 'success']);
    expect(result.runs[0]!.redactedInput).toBe(
      'code=1\npasswd=***\nport=7\nnodename=node2\naction=off\n',
    );
    expect(result.runs[2]!.stdout).toContain('port=4\nnodename=node2\naction=off\n');
  });

  it('names the reference to a device that does not exist', () => {
    expect(() => fenceMethodsFor(conf, 'node3')).toThrow(
      '/cluster/clusternodes/clusternode[2]/fence/method[1]/device[1]/@name: no fencedevice named nowhere',
    );
  });
});
