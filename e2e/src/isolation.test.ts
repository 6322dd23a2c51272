import { describe, expect, test } from 'vitest';
import { findRunFootprint, type NetworkState } from './isolation.js';

const run = { runId: 'abc123', subnet: '10.231.0', macs: ['02:71:72:00:00:01'] };

describe('findRunFootprint', () => {
  test('finds labelled links, links with a run MAC, subnet addresses and routes', () => {
    const state: NetworkState = {
      links: [
        { ifname: 'eth0', address: '52:54:00:12:34:56' },
        { ifname: 'p-node1', ifalias: 'qrabc123:node1-port', address: '66:00:00:00:00:01' },
        { ifname: 'veth9', address: '02:71:72:00:00:01' },
        { ifname: 'other', ifalias: 'qrzzz999:node1' },
      ],
      addresses: [
        { ifname: 'eth0', addr_info: [{ family: 'inet', local: '192.0.2.2' }] },
        { ifname: 'veth9', addr_info: [{ family: 'inet', local: '10.231.0.7' }] },
      ],
      routes: [
        { dst: 'default', dev: 'eth0' },
        { dst: '10.231.0.0/24', dev: 'veth9' },
        { dst: '10.2.31.0/24', dev: 'eth0' },
      ],
    };
    expect(findRunFootprint(state, run)).toEqual([
      'link p-node1 (qrabc123:node1-port)',
      'link veth9 has MAC 02:71:72:00:00:01',
      'address 10.231.0.7 on veth9',
      'route 10.231.0.0/24 dev veth9',
    ]);
  });

  test('a namespace without the run has no footprint', () => {
    const state: NetworkState = {
      links: [{ ifname: 'lo', address: '00:00:00:00:00:00' }],
      addresses: [{ ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1' }] }],
      routes: [{ dst: '127.0.0.0/8', dev: 'lo' }],
    };
    expect(findRunFootprint(state, run)).toEqual([]);
  });
});
