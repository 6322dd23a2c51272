import { describe, expect, it } from 'vitest';
import type { JsonLog } from './json-log.js';
import { KILLED_EXIT_STATUS, obeyKill, requestKill } from './kill-request.js';

interface Logged {
  readonly level: string;
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

/** node1's view: node1..node3 configured, node3 not a member now; sends recorded. */
function context(options: { linked?: boolean } = {}) {
  const logged: Logged[] = [];
  const sent: string[] = [];
  let selfKilled: () => void = () => {};
  const killedSelf = new Promise<void>((resolve) => {
    selfKilled = resolve;
  });
  const log: JsonLog = (level, event, fields = {}) => logged.push({ level, event, fields });
  return {
    logged,
    sent,
    killedSelf,
    nodeName: 'node1',
    log,
    status: () => ({ voters: ['node1', 'node2', 'node3'], members: ['node1', 'node2'] }),
    sendKill: async (node: string) => {
      sent.push(node);
      return options.linked ?? true;
    },
    killSelf: () => selfKilled(),
  };
}

describe('requestKill (cman_tool kill -n)', () => {
  it('sends the kill to a member and answers once it is on the link', async () => {
    const ctx = context();
    expect(await requestKill('node2', ctx)).toEqual({
      type: 'node',
      ok: true,
      message: 'kill sent to node2',
    });
    expect(ctx.sent).toEqual(['node2']);
    expect(ctx.logged).toContainEqual({
      level: 'warn',
      event: 'kill-requested',
      fields: { node: 'node2', delivered: true },
    });
  });

  it('refuses a node outside the configuration and one that is not a member, sending nothing', async () => {
    const ctx = context();
    expect(await requestKill('nodeX', ctx)).toEqual({
      type: 'node',
      ok: false,
      message: 'no such node in the cluster configuration',
    });
    expect(await requestKill('node3', ctx)).toEqual({
      type: 'node',
      ok: false,
      message: 'node is not a cluster member',
    });
    expect(ctx.sent).toEqual([]);
    expect(ctx.logged.map((line) => [line.event, line.fields.node])).toEqual([
      ['kill-refused', 'nodeX'],
      ['kill-refused', 'node3'],
    ]);
  });

  it('says so when there is no link to the member', async () => {
    const ctx = context({ linked: false });
    expect(await requestKill('node2', ctx)).toEqual({
      type: 'node',
      ok: false,
      message: 'no link to it from node1',
    });
  });

  it('kills this node itself after answering, as cman did', async () => {
    const ctx = context();
    let killed = false;
    void ctx.killedSelf.then(() => {
      killed = true;
    });
    const answer = await requestKill('node1', ctx);
    expect(answer).toEqual({ type: 'node', ok: true, message: 'killing this node (node1)' });
    // The answer came first; the kill follows once it is out.
    expect(killed).toBe(false);
    await ctx.killedSelf;
    expect(ctx.sent).toEqual([]);
  });
});

describe('obeyKill', () => {
  it('logs who killed it, falls silent, then exits', () => {
    const steps: string[] = [];
    obeyKill('node2', {
      log: (level, event, fields) => steps.push(`${level} ${event} ${JSON.stringify(fields)}`),
      silence: () => steps.push('silence'),
      exit: (from) => steps.push(`exit ${from}`),
    });
    expect(steps).toEqual([
      `error killed {"from":"node2","exitStatus":${KILLED_EXIT_STATUS}}`,
      'silence',
      'exit node2',
    ]);
  });
});
