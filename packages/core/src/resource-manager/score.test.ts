import { describe, expect, test } from 'vitest';
import { parseClusterConf } from '../cluster-conf/read.js';
import { emptyResourceManagerState, type ServiceState, serviceState } from './model.js';
import { readRmConfig } from './rm-config.js';
import { DomainOnlineCache, scoreNames, scoreNode } from './score.js';

const config = readRmConfig(
  parseClusterConf(
    `<cluster name="c" config_version="1"><clusternodes>` +
      ['n1', 'n2', 'n3', 'n4']
        .map((n, i) => `<clusternode name="${n}" nodeid="${i + 1}"/>`)
        .join('') +
      `</clusternodes><rm><failoverdomains>` +
      `<failoverdomain name="ord" ordered="1"><failoverdomainnode name="n1" priority="0"/>` +
      `<failoverdomainnode name="n2" priority="100"/><failoverdomainnode name="n3" priority="5"/>` +
      `</failoverdomain>` +
      `<failoverdomain name="unord" restricted="1"><failoverdomainnode name="n1" priority="1"/>` +
      `<failoverdomainnode name="n2" priority="2"/></failoverdomain>` +
      `</failoverdomains><service name="a" domain="ord"/><service name="b" domain="unord"/>` +
      `<service name="c" domain="missing"/></rm></cluster>`,
  ),
);

function scores(id: string, online: string[], state?: Partial<ServiceState>): string[] {
  const svc = config.byId.get(id)!;
  const s = { ...serviceState(emptyResourceManagerState, id), ...state };
  const cache = new DomainOnlineCache(new Set(online));
  return config.nodes.map((n) => scoreNames[scoreNode(n, svc, s, cache)]);
}

describe('node_should_start', () => {
  test('ordered: lowest priority value is BEST; out-of-range priorities rank last', () => {
    expect(scores('service:a', ['n1', 'n2', 'n3', 'n4'])).toEqual([
      'BETTER',
      'BETTER',
      'BEST',
      'GOOD',
    ]);
    // n1's priority 0 is out of range: unprioritized, after n2's 100.
    expect(scores('service:a', ['n1', 'n2', 'n4'])).toEqual(['BETTER', 'BEST', 'ILLEGAL', 'GOOD']);
    expect(scores('service:a', ['n1', 'n4'])).toEqual(['BEST', 'ILLEGAL', 'ILLEGAL', 'GOOD']);
  });

  test('nofailback is read from the domain: without it the preferred node wins', () => {
    const owner = { state: 'started' as const, owner: 'n2' };
    expect(scores('service:a', ['n2', 'n3'], owner)).toEqual([
      'ILLEGAL',
      'BETTER',
      'BEST',
      'ILLEGAL',
    ]);
  });

  test('outside an unrestricted domain with no member online: BEST', () => {
    expect(scores('service:a', ['n4'])).toEqual(['ILLEGAL', 'ILLEGAL', 'ILLEGAL', 'BEST']);
  });

  test('unordered: every member BEST (priorities ignored); restricted: others ILLEGAL', () => {
    expect(scores('service:b', ['n1', 'n2', 'n3'])).toEqual(['BEST', 'BEST', 'ILLEGAL', 'ILLEGAL']);
  });

  test('an unknown domain name places anywhere, as rgmanager did', () => {
    expect(scores('service:c', ['n2', 'n4'])).toEqual(['ILLEGAL', 'BEST', 'ILLEGAL', 'BEST']);
  });
});
