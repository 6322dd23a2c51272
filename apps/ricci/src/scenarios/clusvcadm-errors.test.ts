// Every clusvcadm result code of rhcs.md §3.2 that Quorate's resource manager can give, caused
// for real against three agents on test hosts, table-driven: the command, what it prints and its
// exit status (negative codes wrap to 256 + code; "already running" exits 0). The rows run in
// order; some change the cluster first (a freeze, the lock, a node leaving, quorum lost).
// -13 (fencing pending) needs a node that is lost and not yet fenced: seed-walkthrough.test.ts
// causes it while fence_manual waits. -2, -3, -5, -14 and -18 are never given: see NEVER_GIVEN.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rgResults } from '@quorate/core';
import { e2eSkipReason } from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMarkerService } from '../../testing/marker-service.js';
import {
  type CommandOutcome,
  quorumIs,
  ScenarioCluster,
  serviceState,
} from '../../testing/scenario-cluster.js';

const skip = e2eSkipReason();
const NODES = ['node1', 'node2', 'node3'];
const WAIT_MS = 30_000;
const TEST_MS = 60_000;

/** Codes the resource manager never answers with, and why (rgmanager's own reasons are gone). */
const NEVER_GIVEN: Record<number, string> = {
  [-2]: 'a failed start is reported as the service state (failed), not as the request result',
  [-3]: 'requests are forwarded to the leader: no service is "mastered" elsewhere',
  [-5]: 'there are no cross-node request locks that could deadlock',
  [-14]: 'there is no S/Lang event scripting',
  [-18]: 'the control socket is root-only: who may connect may do everything',
};
const CAUSED_ELSEWHERE: Record<number, string> = {
  [-13]: 'seed-walkthrough.test.ts (meatware: a request while fence_manual waits)',
};

/** The services, each a marker script: what each one is for is in the rows below. */
const SERVICES: ReadonlyArray<[name: string, attributes: string]> = [
  ['pin1', 'autostart="1" domain="only1"'],
  ['pin2', 'autostart="1" domain="only2"'],
  ['pin3', 'autostart="1" domain="only3"'],
  ['beta', 'autostart="0"'],
  ['needs', 'autostart="0" depend="service:beta"'],
  ['gated', 'autostart="0"'],
  ['lonely', 'autostart="0" exclusive="1"'],
  ['third', 'autostart="0" domain="only3"'],
];

function clusterConf(dir: string): string {
  const gate = join(dir, 'gate-open');
  const nodes = NODES.map(
    (name, i) => `    <clusternode name="${name}" nodeid="${i + 1}" votes="1"/>\n`,
  );
  // Domain onlyN: node N alone, restricted.
  const domains = NODES.map(
    (name, i) =>
      `      <failoverdomain name="only${i + 1}" restricted="1">` +
      `<failoverdomainnode name="${name}"/></failoverdomain>\n`,
  );
  const services = SERVICES.map(([name, attributes]) => {
    const file = writeMarkerService(dir, name, name === 'gated' ? gate : undefined);
    return `    <service name="${name}" ${attributes}><script name="${name}" file="${file}"/></service>\n`;
  });
  return `<?xml version="1.0"?>
<cluster name="errors" config_version="1">
  <clusternodes>
${nodes.join('')}  </clusternodes>
  <rm>
    <failoverdomains>
${domains.join('')}    </failoverdomains>
${services.join('')}  </rm>
</cluster>
`;
}

interface Row {
  readonly code: number;
  readonly args: readonly string[];
  readonly stdout: string;
  /** What the cluster must look like first. */
  readonly before?: () => Promise<void>;
  readonly after?: () => Promise<void>;
}

describe.skipIf(skip)('clusvcadm result codes against real agents', () => {
  let cluster: ScenarioCluster;
  let gatedEnable: Promise<CommandOutcome> | undefined;
  const clusvcadm = (...args: string[]) => cluster.command('node1', 'clusvcadm', args);
  const ok = async (...args: string[]) => expect((await clusvcadm(...args)).status).toBe(0);

  const rows: Row[] = [
    {
      code: 0,
      args: ['-e', 'beta', '-m', 'node2'],
      stdout:
        'Member node2 trying to enable service:beta...Success\nservice:beta is now running on node2\n',
      after: () => ok('-d', 'beta'),
    },
    {
      code: -1,
      args: ['-r', 'pin2', '-m', 'node1'],
      stdout: 'Trying to relocate service:pin2 to node1...Failure\n',
      before: () => ok('-l'),
      after: () => ok('-u'),
    },
    {
      code: -4,
      args: ['-e', 'nosuch'],
      stdout: 'Local machine trying to enable service:nosuch...Service does not exist\n',
    },
    {
      code: -6,
      args: ['-R', 'gated'],
      stdout: 'Local machine trying to restart service:gated...Temporary failure; try again\n',
      before: async () => {
        // Held in `starting` by its gate, the service takes no other request.
        const mark = cluster.mark('node1');
        gatedEnable = clusvcadm('-e', 'gated');
        await cluster.waitFor('node1', serviceState('service:gated', 'starting'), mark);
      },
      after: async () => {
        writeFileSync(join(cluster.dir, 'gate-open'), '');
        expect((await gatedEnable)?.status).toBe(0);
      },
    },
    {
      code: -7,
      args: ['-e', 'needs'],
      stdout: 'Local machine trying to enable service:needs...Operation violates dependency rule\n',
    },
    {
      code: -8,
      args: ['-c', 'beta'],
      stdout: 'Local machine convalescing service:beta...Invalid operation for resource\n',
    },
    {
      code: -10,
      args: ['-e', 'pin2'],
      stdout: 'Local machine trying to enable service:pin2...Service is already running\n',
    },
    {
      code: -11,
      args: ['-r', 'pin2'],
      stdout: 'Trying to relocate service:pin2...Failure: Service is frozen\n',
      before: () => ok('-Z', 'pin2'),
      after: () => ok('-U', 'pin2'),
    },
    {
      // pin1, pin2 and pin3 keep every node busy.
      code: -16,
      args: ['-e', 'lonely'],
      stdout:
        'Local machine trying to enable service:lonely...Service not runnable: cannot run exclusive\n',
    },
    {
      code: -17,
      args: ['-r', 'pin1'],
      stdout: 'Trying to relocate service:pin1...Failed; service running on original owner\n',
    },
    {
      code: -12,
      args: ['-e', 'beta', '-m', 'node3'],
      stdout: 'Member node3 trying to enable service:beta...Target node dead / nonexistent\n',
      before: async () => {
        // node3 leaves cleanly (no fence needed); node1 and node2 stay quorate.
        const mark = cluster.mark('node1');
        await cluster.stop('node3');
        const left = (e: { event: string; left?: unknown }) =>
          e.event === 'membership-changed' && (e.left as string[]).includes('node3');
        await cluster.waitFor('node1', left, mark);
      },
    },
    {
      // `third` may run on node3 only, which has left.
      code: -15,
      args: ['-e', 'third'],
      stdout: 'Local machine trying to enable service:third...Service not runnable\n',
    },
    {
      code: -9,
      args: ['-e', 'beta'],
      stdout: 'Local machine trying to enable service:beta...Operation requires quorum\n',
      before: async () => {
        const mark = cluster.mark('node1');
        await cluster.stop('node2');
        await cluster.waitFor('node1', quorumIs(false), mark);
      },
    },
  ];

  beforeAll(async () => {
    cluster = await ScenarioCluster.create({
      clusterName: 'errors',
      nodeNames: NODES,
      waitMs: WAIT_MS,
    });
    const conf = clusterConf(cluster.dir);
    for (const node of NODES) cluster.writeClusterConf(node, conf);
    for (const node of NODES) cluster.start(node);
    for (const [i, node] of NODES.entries()) {
      await cluster.waitFor('node1', serviceState(`service:pin${i + 1}`, 'started', node));
    }
  }, 60_000);

  afterAll(async () => {
    await cluster?.destroy();
  }, 60_000);

  it('the table covers every result code except those never given or caused in another file', () => {
    const codes = Object.values(rgResults).map((result) => result.code);
    const covered = [...rows.map((row) => row.code), ...Object.keys(NEVER_GIVEN).map(Number)];
    covered.push(...Object.keys(CAUSED_ELSEWHERE).map(Number));
    expect([...new Set(covered)].sort((a, b) => a - b)).toEqual(codes.sort((a, b) => a - b));
  });

  it.each(rows.map((row) => [`${row.code}: clusvcadm ${row.args.join(' ')}`, row] as const))(
    '%s',
    async (_, row) => {
      await row.before?.();
      const result = await clusvcadm(...row.args);
      expect(result.stdout).toBe(row.stdout);
      // rgmanager's exit status: the code, negative ones as 256 + code; "already running" is 0.
      expect(result.status).toBe(row.code === -10 ? 0 : (256 + row.code) % 256);
      await row.after?.();
    },
    TEST_MS,
  );
});
