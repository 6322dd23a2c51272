import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyCommand,
  type ControllerInput,
  type ControllerState,
  emptyControllerState,
  NO_QUORUM_MESSAGE,
} from '@quorate/core';
import { describe, expect, it } from 'vitest';
import {
  type Agent,
  Client,
  consoleIdentity,
  HOST,
  is,
  otherConsole,
  PASSWORD,
  type PemPair,
  signIn,
  startAgent,
} from '../../testing/console-api-kit.js';
import { CONSOLE_DIR } from './agent-password.js';
import { ClusterConsoleTrust, type ClusterTrustHost } from './cluster-trust.js';
import type { ConsoleApi } from './console-server.js';
import { TRUSTED_CONSOLES_FILE } from './trusted-consoles.js';

// Consoles the replicated cluster state trusts, on agents on loopback over a fake core.

/**
 * The core as the console API sees it: a committed state that changes only by applying the
 * commands the (always local) leader would append, and an answer per change, one turn later.
 */
class FakeCluster implements ClusterTrustHost {
  current: ControllerState = emptyControllerState;
  quorate = true;
  readonly apis: ConsoleApi[] = [];
  state(): ControllerState {
    return this.current;
  }
  submit(input: ControllerInput): boolean {
    if (input.type !== 'console-trust') return false;
    queueMicrotask(() => {
      const { id, change } = input;
      if (!this.quorate) return this.answer(id, false, NO_QUORUM_MESSAGE);
      this.apply(change);
      this.answer(id, true, change.kind === 'trust' ? 'trusted by the cluster' : 'revoked');
    });
    return true;
  }
  /** A change committed through another node. */
  apply(change: Extract<ControllerInput, { type: 'console-trust' }>['change']): void {
    const base = { v: 1 as const, atMs: 1000, fingerprint: change.fingerprint };
    const command =
      change.kind === 'trust'
        ? { ...base, type: 'console-trusted' as const, label: change.label }
        : { ...base, type: 'console-revoked' as const };
    this.current = applyCommand(this.current, command, this.current.applied + 1, 1).state;
    const trusted = change.kind === 'trust';
    for (const api of this.apis) {
      api.coreEvent({ type: 'console-trust-changed', fingerprint: change.fingerprint, trusted });
    }
  }
  private answer(id: string, ok: boolean, message: string): void {
    for (const api of this.apis) api.coreEvent({ type: 'console-trust-result', id, ok, message });
  }
}

async function clusterAgent(cluster: FakeCluster): Promise<Agent> {
  const agent = await startAgent({ clusterTrust: new ClusterConsoleTrust(cluster) });
  cluster.apis.push(agent.api);
  return agent;
}

async function certificateHello(agent: Agent, identity = consoleIdentity) {
  const client = await Client.open(agent.port, identity);
  client.send({ type: 'hello', versions: [1], auth: { kind: 'certificate' } });
  return client.next((frame) => frame.type === 'welcome' || frame.type === 'error');
}

describe('trusted consoles in the cluster state', () => {
  const fingerprintOf = (identity: PemPair) => new X509Certificate(identity.certPem).fingerprint256;

  it('a password hello pins here and has the cluster trust the certificate, which another node then accepts', async () => {
    const cluster = new FakeCluster();
    const first = await clusterAgent(cluster);
    const other = await clusterAgent(cluster);
    const client = await Client.open(first.port, consoleIdentity);
    client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await client.next(is('welcome'))).toMatchObject({
      auth: 'password',
      consoleTrust: 'cluster',
    });
    const fingerprint = fingerprintOf(consoleIdentity);
    expect(cluster.current.trustedConsoles[fingerprint]?.label).toBe(HOST);
    expect(await first.logs.until('console-trusted-by-cluster')).toMatchObject({ fingerprint });
    // The other agent never saw the password and has no pin of its own.
    expect(await certificateHello(other)).toMatchObject({
      type: 'welcome',
      auth: 'certificate',
      consoleTrust: 'cluster',
    });
    expect(await certificateHello(other, otherConsole)).toMatchObject({
      type: 'error',
      code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
    });
  });

  it('without quorum the password hello still works on its own pin, which a later revocation voids', async () => {
    const cluster = new FakeCluster();
    cluster.quorate = false;
    const agent = await clusterAgent(cluster);
    const client = await Client.open(agent.port, consoleIdentity);
    client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await client.next(is('welcome'))).toMatchObject({ consoleTrust: 'node' });
    expect(await agent.logs.until('console-trust-not-recorded')).toMatchObject({
      detail: NO_QUORUM_MESSAGE,
    });
    expect(await certificateHello(agent)).toMatchObject({ type: 'welcome', consoleTrust: 'node' });
    cluster.apply({ kind: 'revoke', fingerprint: fingerprintOf(consoleIdentity) });
    expect(await certificateHello(agent)).toMatchObject({
      type: 'error',
      code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
    });
  });

  it('revoke-console removes the console from the cluster and the pin here: refused everywhere after', async () => {
    const cluster = new FakeCluster();
    const first = await clusterAgent(cluster);
    const other = await clusterAgent(cluster);
    const client = await signIn(first);
    const id = client.request({ type: 'revoke-console' });
    const fingerprint = fingerprintOf(consoleIdentity);
    expect(await client.next(is('console-revoked'))).toMatchObject({
      id,
      fingerprint,
      cluster: true,
    });
    expect(cluster.current.trustedConsoles).toEqual({});
    const file = join(first.stateDir, CONSOLE_DIR, TRUSTED_CONSOLES_FILE);
    expect(readFileSync(file, 'utf8')).not.toContain(fingerprint);
    for (const agent of [first, other]) {
      expect(await certificateHello(agent)).toMatchObject({
        type: 'error',
        code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
      });
    }
  });

  it('a bare node keeps its own pins and says the cluster did not record a revocation', async () => {
    const agent = await startAgent();
    const client = await signIn(agent);
    client.request({ type: 'revoke-console' });
    expect(await client.next(is('console-revoked'))).toMatchObject({
      cluster: false,
      message: expect.stringContaining("this node's pin is removed"),
    });
    expect(await certificateHello(agent)).toMatchObject({ type: 'error' });
  });

  it("a committed revocation ends the revoked console's open connections on every node; the one that asked is answered", async () => {
    const cluster = new FakeCluster();
    const first = await clusterAgent(cluster);
    const other = await clusterAgent(cluster);
    const asking = await signIn(first);
    const elsewhere = await Client.open(other.port, consoleIdentity);
    elsewhere.send({ type: 'hello', versions: [1], auth: { kind: 'certificate' } });
    await elsewhere.next(is('welcome'));
    const bystander = await signIn(first, otherConsole);

    const id = asking.request({ type: 'revoke-console' });
    expect(await asking.next(is('console-revoked'))).toMatchObject({ id, cluster: true });
    expect(await elsewhere.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
      message: expect.stringContaining('was revoked by the cluster'),
    });
    expect(await elsewhere.untilClosed()).toBe(1008);
    expect(await other.logs.until('console-revoked-closed')).toMatchObject({
      fingerprint: fingerprintOf(consoleIdentity),
    });
    // Another console's connection is untouched.
    const statusId = bystander.request({ type: 'status' });
    expect(await bystander.next(is('status'))).toMatchObject({ id: statusId });
    expect(asking.closed).toBeNull();
  });
});
