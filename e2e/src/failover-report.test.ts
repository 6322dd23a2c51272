import { describe, expect, it } from 'vitest';
import {
  FAILOVER_SCENARIOS,
  formatTable,
  parseFailoverOptions,
  summarize,
} from './failover-report.js';

describe('parseFailoverOptions', () => {
  it('defaults to 10 runs of every scenario at token 1000 and 300, 30 s idle', () => {
    expect(parseFailoverOptions({})).toEqual({
      runs: 10,
      tokenMs: [1000, 300],
      scenarios: [...FAILOVER_SCENARIOS],
      idleSeconds: 30,
      jsonFile: undefined,
      logsDir: undefined,
      pageServer: 'node',
      bundle: undefined,
    });
  });

  it('takes runs, tokens, scenarios, the idle window and the output files', () => {
    const options = parseFailoverOptions({
      runs: '3',
      'token-ms': '300',
      scenarios: 'power-off-owner-leader,relocate-owner-follower',
      'idle-seconds': '5',
      json: '/tmp/out.json',
      logs: '/tmp/logs',
      'page-server': 'service',
      bundle: '/tmp/agent.tar.gz',
    });
    expect(options).toEqual({
      runs: 3,
      tokenMs: [300],
      scenarios: ['power-off-owner-leader', 'relocate-owner-follower'],
      idleSeconds: 5,
      jsonFile: '/tmp/out.json',
      logsDir: '/tmp/logs',
      pageServer: 'service',
      bundle: '/tmp/agent.tar.gz',
    });
  });

  it.each([
    [{ runs: '0' }, '--runs: "0" must be a whole number from 1 to 1000'],
    [{ runs: '2.5' }, '--runs: "2.5" must be a whole number from 1 to 1000'],
    [{ 'token-ms': '1000,fast' }, '--token-ms: "fast" must be a whole number from 1 to 60000'],
    [{ 'idle-seconds': '-1' }, '--idle-seconds: "-1" must be a whole number from 1 to 3600'],
    [{ scenarios: 'kill' }, '--scenarios: "kill" is not one of relocate-owner-follower'],
    [{ 'page-server': 'both' }, '--page-server: "both" is not node or service'],
  ])('refuses %j, naming the option and the rule', (args, message) => {
    expect(() => parseFailoverOptions(args)).toThrow(message);
  });
});

describe('summarize', () => {
  it('gives min, median and max of what happened and counts what did not', () => {
    expect(summarize([300, null, 100, 200])).toEqual({
      n: 3,
      failed: 1,
      minMs: 100,
      medianMs: 200,
      maxMs: 300,
    });
  });

  it('takes the mean of the middle two for an even count', () => {
    expect(summarize([400, 100, 250, 200]).medianMs).toBe(225);
  });

  it('has no numbers when every run failed', () => {
    expect(summarize([null, null])).toEqual({ n: 0, failed: 2 });
  });
});

describe('formatTable', () => {
  it('prints one aligned line per token, scenario and metric, in seconds', () => {
    const table = formatTable([
      {
        tokenMs: 300,
        scenario: 'power-off-owner-leader',
        metric: 'httpOnNewMs',
        summary: { n: 2, failed: 0, minMs: 610, medianMs: 655, maxMs: 701 },
      },
      { tokenMs: 300, scenario: 'x', metric: 'startedOnNewMs', summary: { n: 0, failed: 2 } },
    ]);
    expect(table.split('\n')).toEqual([
      'token ms  scenario                metric          n  failed  min s  median s  max s',
      '300       power-off-owner-leader  httpOnNewMs     2  0       0.610  0.655     0.701',
      '300       x                       startedOnNewMs  0  2       -      -         -',
    ]);
  });
});
