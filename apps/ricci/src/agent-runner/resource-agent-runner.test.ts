import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildResourceTrees, builtinAgentCatalog, parseClusterConf } from '@quorate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeOcfOutcome, ocfOutcomeOfCode } from './ocf-outcome.js';
import { type ResourceAgentResult, ResourceAgentRunner } from './resource-agent-runner.js';

const ocfRoot = mkdtempSync(join(tmpdir(), 'quorate-ocf-root-'));
const providerDir = join(ocfRoot, 'resource.d', 'test');
mkdirSync(providerDir, { recursive: true });
afterAll(() => rmSync(ocfRoot, { recursive: true, force: true }));

function agent(name: string, body: string): string {
  const path = join(providerDir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return `ocf:test:${name}`;
}

const logged: ResourceAgentResult[] = [];
const runner = new ResourceAgentRunner({
  ocfRoot,
  killGraceMs: 200,
  log: (result) => logged.push(result),
});

/** The agent's environment as the runner passes it. */
async function environmentSeen(options: Parameters<ResourceAgentRunner['run']>[0]) {
  const result = await runner.run(options);
  expect(result.outcome).toEqual({ kind: 'ocf', name: 'success', code: 0 });
  return Object.fromEntries(
    result.stdout
      .split('\0')
      .filter((entry) => entry.includes('='))
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

describe('ResourceAgentRunner', () => {
  const printEnv = agent('printenv', 'env -0');

  it('passes parameters, meta-data defaults and the OCF variables in a clean environment', async () => {
    process.env.QUORATE_LEAK_CHECK = 'leaked';
    const env = await environmentSeen({
      type: printEnv,
      action: 'monitor',
      attributes: { address: '10.0.0.5/24', monitor_link: '0', __independent_subtree: '1' },
      metadata: builtinAgentCatalog.get('ip'),
      depth: 10,
    });
    delete process.env.QUORATE_LEAK_CHECK;
    expect(env).toMatchObject({
      OCF_ROOT: ocfRoot,
      OCF_RA_VERSION_MAJOR: '1',
      OCF_RA_VERSION_MINOR: '0',
      OCF_RESOURCE_INSTANCE: `${printEnv}:10.0.0.5/24`,
      OCF_RESOURCE_TYPE: 'printenv',
      OCF_RESOURCE_PROVIDER: 'test',
      OCF_CHECK_LEVEL: '10',
      // ip's monitor at depth 10 has a 20 s timeout in its meta-data.
      OCF_RESKEY_CRM_meta_timeout: '20000',
      OCF_RESKEY_address: '10.0.0.5/24',
      OCF_RESKEY_monitor_link: '0',
      OCF_RESKEY_family: 'auto',
      OCF_RESKEY_sleeptime: '10',
    });
    expect(env.OCF_RESKEY___independent_subtree).toBeUndefined();
    expect(env.QUORATE_LEAK_CHECK).toBeUndefined();
  });

  it('passes values with quotes, semicolons and $(…) literally', async () => {
    const marker = join(ocfRoot, 'pwned');
    const values = {
      quotes: `it's "quoted"`,
      semicolon: `x; touch ${marker}`,
      substitution: `$(touch ${marker}) \`touch ${marker}\` $HOME`,
      newline: 'two\nlines',
    };
    const env = await environmentSeen({ type: printEnv, action: 'start', attributes: values });
    expect(env.OCF_RESKEY_quotes).toBe(values.quotes);
    expect(env.OCF_RESKEY_semicolon).toBe(values.semicolon);
    expect(env.OCF_RESKEY_substitution).toBe(values.substitution);
    expect(env.OCF_RESKEY_newline).toBe(values.newline);
    expect(existsSync(marker)).toBe(false);
  });

  it('maps exit codes 0-7 to named outcomes and anything else to a generic error naming it', async () => {
    const exitWith = agent('exit-with', 'exit "$OCF_RESKEY_code"');
    const names = [];
    for (let code = 0; code <= 7; code++) {
      const result = await runner.run({
        type: exitWith,
        action: 'start',
        attributes: { code: String(code) },
      });
      expect(result.exitCode).toBe(code);
      names.push(result.outcome.kind === 'ocf' ? result.outcome.name : result.outcome.kind);
    }
    expect(names).toEqual([
      'success',
      'errGeneric',
      'errArgs',
      'unimplemented',
      'errPerm',
      'notInstalled',
      'notConfigured',
      'notRunning',
    ]);
    const odd = await runner.run({ type: exitWith, action: 'start', attributes: { code: '42' } });
    expect(odd.outcome).toMatchObject({ kind: 'unknown-code', code: 42 });
    expect(describeOcfOutcome(odd.outcome)).toContain('exit code 42');
  });

  it('kills a hanging agent at its timeout and marks the run failed', async () => {
    const hang = agent('hang', 'sleep 300 & sleep 300');
    const result = await runner.run({
      type: hang,
      action: 'start',
      attributes: {},
      timeoutMs: 300,
    });
    expect(result.outcome).toEqual({ kind: 'timeout', timeoutMs: 300 });
    expect(result.durationMs).toBeLessThan(2_000);
    expect(describeOcfOutcome(result.outcome)).toBe(
      'timed out after 300 ms (process group killed)',
    );
  });

  it('bounds an agent that prints megabytes', async () => {
    const loud = agent('loud', 'head -c 4000000 /dev/zero | tr "\\0" z');
    const result = await runner.run({ type: loud, action: 'status', attributes: {} });
    expect(result.outcome.kind).toBe('ocf');
    expect(result.truncatedBytes.stdout).toBe(4_000_000 - 64 * 1024);
    expect(result.stdout).toContain('[truncated 3934464 bytes]');
  });

  it('reports the ocf-exit-reason line', async () => {
    const reason = agent(
      'reason',
      `printf '%s%s\\n' "$OCF_EXIT_REASON_PREFIX" 'disk on fire' >&2; exit 1`,
    );
    const result = await runner.run({ type: reason, action: 'start', attributes: {} });
    expect(result.exitReason).toBe('disk on fire');
  });

  it('reports agents that are missing or not plain names without running anything', async () => {
    const missing = await runner.run({ type: 'ocf:test:nope', action: 'start', attributes: {} });
    const traversal = await runner.run({ type: 'ocf:..:passwd', action: 'start', attributes: {} });
    const unknown = await runner.run({ type: 'frobnicator', action: 'start', attributes: {} });
    expect(missing.outcome).toMatchObject({
      kind: 'not-started',
      message: expect.stringMatching(/ENOENT/),
    });
    expect(traversal.outcome).toMatchObject({
      kind: 'not-started',
      message: expect.stringMatching(/plain names/),
    });
    expect(unknown.outcome).toMatchObject({
      kind: 'not-started',
      message: expect.stringMatching(/no built-in agent/),
    });
    expect(logged.at(-1)?.type).toBe('frobnicator');
  });

  it('maps unknown exit codes through ocfOutcomeOfCode', () => {
    expect(ocfOutcomeOfCode(190)).toMatchObject({ kind: 'unknown-code', code: 190 });
  });
});

describe('timeouts', () => {
  const ip = builtinAgentCatalog.get('ip')!;
  const script = builtinAgentCatalog.get('script')!;
  const at = (name: string, timeout: string, depth?: string) => ({
    name,
    timeout,
    depth,
    interval: undefined,
    el: undefined as never,
    attrs: {},
    path: '/cluster/rm/service/ip/action',
  });

  it('takes the meta-data timeout of the action at its depth', () => {
    const timeout = (action: string, depth?: number) =>
      runner.timeoutFor({ type: 'ip', action, attributes: {}, metadata: ip, depth });
    expect(timeout('start')).toBe(20_000);
    expect(timeout('status', 0)).toBe(10_000);
    expect(timeout('status', 10)).toBe(20_000);
    expect(timeout('meta-data')).toBe(5_000);
  });

  it('lets an <action> override win, matching status and monitor and the depth', () => {
    const overrides = [at('status', '45s', '10'), at('start', '2m')];
    const timeout = (action: string, depth?: number) =>
      runner.timeoutFor({ type: 'ip', action, attributes: {}, metadata: ip, depth, overrides });
    expect(timeout('start')).toBe(120_000);
    expect(timeout('monitor', 10)).toBe(45_000);
    expect(timeout('monitor', 0)).toBe(10_000);
  });

  it('takes meta-data from the built-in catalog when the operation brings none', () => {
    expect(runner.timeoutFor({ type: 'fs', action: 'start', attributes: {} })).toBe(900_000);
    expect(
      runner.environment({ type: 'fs', action: 'start', attributes: {} }, 1)
        .OCF_RESKEY_force_unmount,
    ).toBe('0');
  });

  it('falls back to the default when the meta-data says 0 (no bound)', () => {
    expect(
      runner.timeoutFor({ type: 'script', action: 'start', attributes: {}, metadata: script }),
    ).toBe(20_000);
  });

  it('runs a resource tree node with its resolved and inherited attributes', async () => {
    const conf = parseClusterConf(`<?xml version="1.0"?>
<cluster name="c" config_version="1">
  <clusternodes><clusternode name="n1" nodeid="1"/></clusternodes>
  <rm>
    <resources><fs name="data" device="/dev/sdb1" mountpoint="/srv/data"/></resources>
    <service name="web" nfslock="1">
      <fs ref="data"><nfsexport name="exp"><nfsclient name="c1" target="*" options="ro"/></nfsexport></fs>
    </service>
  </rm>
</cluster>`);
    const trees = buildResourceTrees(conf);
    const client = trees.trees[0]!.children[0]!.children[0]!.children[0]!;
    const seen: Record<string, string> = {};
    const printing = new ResourceAgentRunner({ ocfRoot, builtinAgentsDir: providerDir });
    writeFileSync(join(providerDir, 'nfsclient'), '#!/bin/sh\nenv -0\n');
    chmodSync(join(providerDir, 'nfsclient'), 0o755);
    const result = await printing.runNode(client, 'start', {
      metadata: builtinAgentCatalog.get('nfsclient'),
    });
    for (const entry of result.stdout.split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) seen[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    expect(seen).toMatchObject({
      OCF_RESOURCE_INSTANCE: 'nfsclient:c1',
      OCF_RESOURCE_TYPE: 'nfsclient',
      OCF_RESKEY_target: '*',
      OCF_RESKEY_path: '/srv/data',
      OCF_RESKEY_allow_recover: '1',
      OCF_RESKEY_CRM_meta_timeout: '90000',
    });
  });
});
