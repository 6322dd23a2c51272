import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_NAMES,
  quorate,
  type RealAgents,
  startRealAgents,
} from '../../testing/real-agents.js';

// Properties, the raw file, history, diff and rollback against three real agents in-process.
const CLUSTER = 'histtest';
let agents: RealAgents;

const conf = `<?xml version="1.0"?>
<cluster name="${CLUSTER}" config_version="1">
  <clusternodes>
${AGENT_NAMES.map((name, i) => `    <clusternode name="${name}" nodeid="${i + 1}"/>`).join('\n')}
  </clusternodes>
  <fencedevices>
    <fencedevice name="ipmi" agent="fence_ipmilan" ipaddr="192.0.2.9" login="root" passwd="s3cret-pw"/>
  </fencedevices>
  <rm>
    <service name="web" autostart="0"/>
  </rm>
</cluster>
`;

beforeAll(async () => {
  agents = await startRealAgents(CLUSTER, conf);
}, 120_000);

afterAll(async () => {
  await agents?.close();
});

const path = (end = '') => `/api/clusters/${CLUSTER}/config${end}`;
const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
  agents.admin.call(method, url, body);
const committed = async () => (await agents.link.config())!;

/** The next status push that shows the cluster quorate (not the one the console holds now). */
function nextQuorateStatus(): Promise<void> {
  return new Promise((resolve) => {
    const stop = agents.link.subscribe((change) => {
      if (change.kind === 'snapshot' && quorate(change.snapshot)) {
        stop();
        resolve();
      }
    });
  });
}

/**
 * A change sent once the cluster is quorate. The agents' meta-data runs can cost a loaded
 * machine's cluster its quorum for a moment; a change refused for that is sent again after
 * the next quorate status, at most three times.
 */
async function send(url: string, body: unknown) {
  await agents.snapshotWhere(quorate);
  for (let attempt = 1; ; attempt++) {
    const response = await call('POST', url, body);
    if (attempt === 3 || !response.body.includes('(not-quorate)')) return response;
    await nextQuorateStatus();
  }
}

/** The history as the API lists it, once it holds `version` (a seen version is read async). */
async function historyWith(version: number) {
  for (;;) {
    const { entries } = (await call('GET', path('/history'))).json();
    if (entries.some((e: { version: number }) => e.version === version)) return entries;
    await new Promise<void>((resolve) => {
      const stop = agents.link.subscribe(() => {
        stop();
        resolve();
      });
      setTimeout(resolve, 200).unref();
    });
  }
}

async function committedAt(version: number) {
  await agents.snapshotWhere((s) => s.status.cluster.configVersion === version);
  await agents.snapshotWhere(quorate);
}

type Line = { kind: string; text: string };
const changed = (hunks: { lines: Line[] }[], kind: string) =>
  hunks.flatMap((h) => h.lines.filter((l) => l.kind === kind).map((l) => l.text.trim()));

describe('configuration properties, history and rollback against real agents', () => {
  it('records the version it first saw, with no author', async () => {
    const entries = await historyWith(1);
    expect(entries).toEqual([
      expect.objectContaining({ version: 1, source: 'seen', recordedBy: null }),
    ]);
  });

  it('refuses a token out of the validator range at its field, sending nothing', async () => {
    await agents.snapshotWhere(quorate);
    const response = await call('POST', path('/commit'), {
      baseVersion: 1,
      edits: [{ op: 'setClusterProperties', changes: { totem: { tokenMs: 50 } } }],
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.field).toBe('/cluster/totem/@token');
    expect((await committed()).version).toBe(1);
  });

  it('commits a property change, recorded with who and what', async () => {
    const response = await send(path('/commit'), {
      baseVersion: 1,
      edits: [
        {
          op: 'setClusterProperties',
          changes: {
            totem: { tokenMs: 1500 },
            fenceDaemon: { postJoinDelayS: 3 },
            rm: { status_poll_interval: '5' },
          },
        },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    await committedAt(2);
    expect((await committed()).text).toContain('<totem token="1500"/>');
    const [latest] = await historyWith(2);
    expect(latest).toMatchObject({ version: 2, source: 'edit', recordedBy: 'admin' });
    expect(latest.summary).toContain('totem token unset → 1500');
    expect(latest.summary).toContain('rm status_poll_interval unset → 5');
  });

  it('diffs any two versions with secrets redacted', async () => {
    const response = await call('GET', path('/history/diff?from=1&to=2'));
    expect(response.statusCode, response.body).toBe(200);
    const { hunks } = response.json();
    expect(changed(hunks, 'added')).toContain('<totem token="1500"/>');
    expect(changed(hunks, 'removed')).toContain(`<cluster name="${CLUSTER}" config_version="1">`);
    expect(response.body).not.toContain('s3cret-pw');
    const missing = await call('GET', path('/history/diff?from=1&to=99'));
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.field).toBe('to');
  });

  it('rolls back by committing the old text as a new version', async () => {
    const preview = await call('POST', path('/history/1/rollback/preview'), { baseVersion: 2 });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ version: 3, committed: false });
    expect(preview.json().votingChange).toBeUndefined();
    expect(changed(preview.json().hunks, 'removed')).toContain('<totem token="1500"/>');
    expect((await committed()).version).toBe(2);
    const response = await send(path('/history/1/rollback/commit'), { baseVersion: 2 });
    expect(response.statusCode, response.body).toBe(200);
    await committedAt(3);
    const text = (await committed()).text;
    expect(text).not.toContain('<totem');
    expect(text).toContain('passwd="s3cret-pw"');
    const [latest] = await historyWith(3);
    expect(latest).toMatchObject({ version: 3, source: 'rollback', rollbackOf: 1 });
    expect(latest.summary).toContain('rollback to 1: totem token 1500 → unset');
    const audit = (await call('GET', '/api/audit?limit=1')).json().entries[0];
    expect(audit).toMatchObject({ action: 'config.rollback', result: 'ok' });
  });

  it('downloads the file redacted for a viewer, with secrets only for an admin, audited', async () => {
    const viewer = await agents.luci.asUser('viewer', { [CLUSTER]: ['view'] });
    const redacted = await viewer.call('GET', path('/file'));
    expect(redacted.json()).toMatchObject({ version: 3, redacted: true });
    expect(redacted.body).not.toContain('s3cret-pw');
    const refused = await viewer.call('POST', path('/file/with-secrets'), {});
    expect(refused.statusCode).toBe(403);
    const full = await call('POST', path('/file/with-secrets'), {});
    expect(full.json()).toMatchObject({ redacted: false });
    expect(full.json().text).toContain('passwd="s3cret-pw"');
    const audit = (await call('GET', '/api/audit?limit=1')).json().entries[0];
    expect(audit).toMatchObject({ action: 'config.download-secrets', user: 'admin' });
  });

  it('refuses a broken upload with the validator errors, sending nothing', async () => {
    const notXml = await call('POST', path('/file/check'), {
      baseVersion: 3,
      text: '<cluster name="x">\n  <rm>\n</cluster>\n',
    });
    expect(notXml.json().valid).toBe(false);
    expect(notXml.json().errors[0]).toMatchObject({ rule: 'not-xml' });
    expect(notXml.json().errors[0].message).toMatch(/at line 3/);
    const { text } = (await call('GET', path('/file'))).json();
    const broken = text
      .replace('config_version="3"', 'config_version="4"')
      .replace('<clusternodes>', '<totem token="50"/>\n  <clusternodes>')
      .replace('name="web"', 'name="web" recovery="sometimes"');
    const check = (
      await call('POST', path('/file/check'), { baseVersion: 3, text: broken })
    ).json();
    expect(check.valid).toBe(false);
    const where = check.errors.map((e: { path: string; rule: string }) => `${e.path} ${e.rule}`);
    expect(where, JSON.stringify(check.errors)).toEqual(
      expect.arrayContaining([
        '/cluster/totem/@token out-of-range',
        '/cluster/rm/service[1]/@recovery not-one-of',
      ]),
    );
    const commit = await call('POST', path('/file/commit'), { baseVersion: 3, text: broken });
    expect(commit.statusCode).toBe(400);
    expect(commit.json().error.message).toMatch(/and 1 more/);
    const stale = await call('POST', path('/file/check'), { baseVersion: 3, text });
    expect(stale.json().errors[0]).toMatchObject({ rule: 'version-not-greater' });
    expect((await committed()).version).toBe(3);
  });

  it('previews an upload that adds a node as a voting change, saying what it needs', async () => {
    const { text } = (await call('GET', path('/file'))).json();
    const grown = text
      .replace('config_version="3"', 'config_version="4"')
      .replace('</clusternodes>', '  <clusternode name="node4" nodeid="4"/>\n  </clusternodes>');
    const check = (await call('POST', path('/file/check'), { baseVersion: 3, text: grown })).json();
    expect(check.valid, JSON.stringify(check.errors)).toBe(true);
    expect(check.preview.votingChange).toBe('adds node4');
    expect(check.preview.notes.join('\n')).toContain(
      "node4 join only where an agent with this cluster's certificate runs",
    );
    expect((await committed()).version).toBe(3);
  });

  it('commits a valid upload of a redacted download, keeping the secrets', async () => {
    const { text } = (await call('GET', path('/file'))).json();
    const upload = text
      .replace('config_version="3"', 'config_version="4"')
      .replace('<clusternodes>', '<cman expected_votes="3"/>\n  <clusternodes>');
    const check = (
      await call('POST', path('/file/check'), { baseVersion: 3, text: upload })
    ).json();
    expect(check.valid, JSON.stringify(check.errors)).toBe(true);
    expect(check.preview.votingChange).toBe('expected_votes unset → 3');
    const response = await send(path('/file/commit'), { baseVersion: 3, text: upload });
    expect(response.statusCode, response.body).toBe(200);
    await committedAt(4);
    expect((await committed()).text).toContain('passwd="s3cret-pw"');
    expect((await historyWith(4))[0]).toMatchObject({ source: 'upload', recordedBy: 'admin' });
  });

  it('says a rollback that changes the voting set goes through joint consensus, and commits it', async () => {
    const preview = await call('POST', path('/history/3/rollback/preview'), { baseVersion: 4 });
    expect(preview.json().votingChange).toBe('expected_votes 3 → unset');
    const response = await send(path('/history/3/rollback/commit'), { baseVersion: 4 });
    expect(response.statusCode, response.body).toBe(200);
    await committedAt(5);
    expect((await committed()).text).not.toContain('expected_votes');
  });
});
