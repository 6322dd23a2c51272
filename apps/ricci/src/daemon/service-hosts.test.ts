// Three agents (bin/ricci, the built code) on test hosts running a real service: `webservice` is
// a floating IP on the test bridge and a small web server bound to it (a `script` resource).
// The RHCS command line, run inside a host against that host's agent, shows it and moves it,
// and the client host fetches the page of whichever host runs it. In order: the service starts;
// clustat shows it; clusvcadm -r relocates it; clusvcadm -l makes a relocation fail, -u lets it
// succeed again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eSkipReason, type HostProcess, TestNetwork } from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  events,
  type LogEvent,
  waitForEvent as waitForAgentEvent,
} from '../../testing/agent-events.js';
import { writeWebService } from '../../testing/web-service.js';
import { createClusterCa, createNodeCert } from '../tls/certificates.js';
import { tlsDirIn, writeCa, writeNodePair } from '../tls/tls-files.js';

const skip = e2eSkipReason();
const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../../../../bin');
const NAMES = ['node1', 'node2', 'node3'];
const PORT = 11111;
const WEB_PORT = 8080;
const WAIT_MS = 20_000;
/** Each host's agent serves its own socket: /run is shared by the test hosts. */
const SOCKET = '/var/lib/quorate/ricci.sock';
const dir = mkdtempSync(join(tmpdir(), 'quorate-service-hosts-'));

/** The first event after the first `after` that `match` accepts, within this file's wait. */
const waitForEvent = (agent: HostProcess, match: (event: LogEvent) => boolean, after = 0) =>
  waitForAgentEvent(agent, match, after, WAIT_MS);

const started =
  (owner: string | null = null) =>
  (event: LogEvent) =>
    event.event === 'service-state-changed' &&
    event.service === 'service:webservice' &&
    event.state === 'started' &&
    (owner === null || event.owner === owner);

function clusterConf(floating: string, script: string): string {
  const nodes = NAMES.map((name, i) => `    <clusternode name="${name}" nodeid="${i + 1}"/>\n`);
  return `<?xml version="1.0"?>
<cluster name="hosts" config_version="1">
  <clusternodes>
${nodes.join('')}  </clusternodes>
  <rm>
    <service name="webservice" autostart="1" recovery="relocate">
      <ip address="${floating}" monitor_link="1"/>
      <script name="web" file="${script}"/>
    </service>
  </rm>
</cluster>
`;
}

describe.skipIf(skip)('a service on test hosts, driven by the RHCS command line', () => {
  let network: TestNetwork;
  let floating = '';
  let owner = '';
  const agents = new Map<string, HostProcess>();
  const agent = (name: string) => agents.get(name) as HostProcess;

  /** Runs one of bin/'s commands inside `host`, against that host's agent. */
  const command = async (host: string, name: string, args: string[]) => {
    const env = { ...process.env, QUORATE_SOCKET: SOCKET };
    const result = await network.exec(host, process.execPath, [join(bin, name), ...args], {
      env,
      timeoutMs: WAIT_MS,
    });
    return { status: result.code, stdout: result.stdout, stderr: result.stderr };
  };

  /** The page the client host gets from the floating address. */
  const fetchFromClient = async (): Promise<string> => {
    const fetchScript = `require('node:http').get(process.argv[1], { timeout: 5000 }, (res) => {
      res.setEncoding('utf8'); let body = ''; res.on('data', (c) => { body += c; });
      res.on('end', () => process.stdout.write(body)); }).on('error', (e) => { console.error(e.message); process.exit(1); });`;
    const url = `http://${floating}:${WEB_PORT}/`;
    const got = await network.exec('client', process.execPath, ['-e', fetchScript, url], {
      timeoutMs: 10_000,
    });
    return got.stdout.trim() || got.stderr.trim();
  };

  /** clusvcadm -r webservice -m `target`, and the log line of it running there. */
  const relocate = async (from: string, target: string) => {
    const mark = events(agent(from)).length;
    const begin = performance.now();
    const result = await command(from, 'clusvcadm', ['-r', 'webservice', '-m', target]);
    console.info(`clusvcadm -r to ${target}: ${Math.round(performance.now() - begin)} ms`);
    return { result, running: waitForEvent(agent(from), started(target), mark) };
  };

  beforeAll(async () => {
    network = await TestNetwork.create({ clusterHosts: 3, client: true, console: false });
    floating = `${network.subnet}.100`;
    const conf = clusterConf(floating, writeWebService(dir, `${floating} ${WEB_PORT}`));
    const ca = await createClusterCa({ clusterName: 'hosts' });
    for (const name of NAMES) {
      const host = network.host(name);
      const tls = tlsDirIn(host.paths.mounts['/var/lib/quorate']);
      writeCa(tls, ca);
      writeNodePair(tls, name, await createNodeCert({ nodeName: name, ca }));
      writeFileSync(join(host.paths.mounts['/etc/cluster'], 'cluster.conf'), conf);
    }
    for (const name of NAMES) {
      const peers = NAMES.filter((peer) => peer !== name).flatMap((peer) => [
        '--peer',
        `${peer}=${network.host(peer).address}:${PORT}`,
      ]);
      const args = [join(bin, 'ricci'), '--node', name, ...peers, '--control-socket', SOCKET];
      agents.set(name, network.spawn(name, process.execPath, args));
    }
  }, 60_000);

  afterAll(async () => {
    // Stopped agents leave cleanly; the harness then ends everything left on the hosts.
    for (const running of agents.values()) running.kill('SIGTERM');
    await Promise.all([...agents.values()].map((running) => running.waitForExit(WAIT_MS)));
    await network?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('starts webservice on one node, and the client fetches its page through the floating IP', async () => {
    const first = await waitForEvent(agent('node1'), started());
    owner = String(first.owner);
    expect(NAMES).toContain(owner);
    // Every node applies the same committed record.
    for (const name of NAMES) await waitForEvent(agent(name), started(owner));
    expect(await fetchFromClient()).toBe(`hello from ${owner}`);
  });

  it('clustat inside a host shows three members online, quorum, and the service started', async () => {
    const host = NAMES.find((name) => name !== owner) as string;
    const clustat = await command(host, 'clustat', []);
    expect(clustat.stderr).toBe('');
    expect(clustat.status).toBe(0);
    expect(clustat.stdout).toContain('Member Status: Quorate\n');
    expect(clustat.stdout.match(/ Online/g)).toHaveLength(3);
    expect(clustat.stdout).toMatch(new RegExp(`service:webservice +${owner} +started`));
  });

  it('cman_tool nodes shows every member with the same incarnation on every host', async () => {
    const incarnations = async (host: string) => {
      const nodes = await command(host, 'cman_tool', ['nodes']);
      expect(nodes.status).toBe(0);
      const rows = nodes.stdout.split('\n').map((line) => line.trim().split(/\s+/));
      return Object.fromEntries(
        rows.filter((r) => r[1] === 'M').map((r) => [r.at(-1), Number(r[2])]),
      );
    };
    const views = await Promise.all(NAMES.map(incarnations));
    expect(Object.keys(views[0] ?? {}).sort()).toEqual(NAMES);
    for (const n of NAMES) expect(views[0]?.[n]).toBeGreaterThan(0);
    // A console whose link moves from one agent to another sees no restart that did not happen.
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
  });

  it('clusvcadm -r moves it to another node, whose page the client then gets', async () => {
    const target = NAMES.find((name) => name !== owner) as string;
    const { result, running } = await relocate(owner, target);
    expect(result).toEqual({
      status: 0,
      stdout:
        `Trying to relocate service:webservice to ${target}...Success\n` +
        `service:webservice is now running on ${target}\n`,
      stderr: '',
    });
    await running;
    expect(await fetchFromClient()).toBe(`hello from ${target}`);
    owner = target;
  });

  it('clusvcadm -l makes a relocation fail; after -u it succeeds', async () => {
    const target = NAMES.find((name) => name !== owner) as string;
    expect(await command(owner, 'clusvcadm', ['-l'])).toEqual({
      status: 0,
      stdout: 'Resource groups locked\n',
      stderr: '',
    });
    const refused = await command(owner, 'clusvcadm', ['-r', 'webservice', '-m', target]);
    expect(refused.stdout).toBe(`Trying to relocate service:webservice to ${target}...Failure\n`);
    expect(refused.status).not.toBe(0);
    // The controller's answer names the lock, not some other failure.
    const why = events(agent(owner))
      .filter((e) => e.event === 'request-result')
      .at(-1);
    expect(why).toMatchObject({ code: -1, detail: expect.stringMatching(/locked/) });
    expect(await fetchFromClient()).toBe(`hello from ${owner}`);
    expect((await command(target, 'clusvcadm', ['-u'])).stdout).toBe('Resource groups unlocked\n');
    const { result, running } = await relocate(owner, target);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`...Success\nservice:webservice is now running on ${target}\n`);
    await running;
    expect(await fetchFromClient()).toBe(`hello from ${target}`);
    owner = target;
  });

  it('SIGTERM on the owner stops webservice there, then leaves; another node starts it, unfenced', async () => {
    const others = NAMES.filter((name) => name !== owner);
    const marks = new Map(others.map((name) => [name, events(agent(name)).length]));
    const leaver = agent(owner);
    leaver.kill('SIGTERM');
    expect((await leaver.waitForExit(WAIT_MS)).code).toBe(0);
    const own = events(leaver);
    const stopped = own.findIndex((e) => e.event === 'emergency-stop' && e.reason === 'leaving');
    expect(stopped).toBeGreaterThanOrEqual(0);
    const survivor = others[0] as string;
    const moved = await waitForEvent(
      agent(survivor),
      (e) => started()(e) && e.owner !== owner,
      marks.get(survivor),
    );
    expect(others).toContain(moved.owner);
    expect(await fetchFromClient()).toBe(`hello from ${moved.owner}`);
    for (const name of others) {
      const after = events(agent(name)).slice(marks.get(name));
      expect(after.filter((e) => e.event === 'node-lost' || e.event === 'fence-started')).toEqual(
        [],
      );
    }
    owner = String(moved.owner);
  });
});
