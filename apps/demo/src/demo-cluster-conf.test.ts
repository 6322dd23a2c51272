import { parseClusterConf, validateClusterConf } from '@quorate/core';
import { describe, expect, it } from 'vitest';
import { demoClusterConf } from './demo-cluster-conf.js';
import { demoLayout } from './demo-layout.js';

const layout = demoLayout('/home/ann/.local/state/quorate-demo');

describe("the demo cluster's cluster.conf", () => {
  for (const withDummy of [false, true]) {
    it(`is runnable ${withDummy ? 'with' : 'without'} ocf:heartbeat:Dummy`, () => {
      const text = demoClusterConf({ layout, webServiceScript: '/x/web-service', withDummy });
      const conf = parseClusterConf(text);
      expect(validateClusterConf(conf, 'runnable').errors).toEqual([]);
      expect(conf.nodes.map((node) => node.name)).toEqual(['node1', 'node2', 'node3']);
      const types = conf.rm?.services[0]?.children.map((child) => child.type);
      expect(types).toEqual(withDummy ? ['script', 'ocf:heartbeat:Dummy'] : ['script']);
    });
  }

  it('fences each node with fence_demo by its name, in the demo folder', () => {
    const conf = parseClusterConf(
      demoClusterConf({ layout, webServiceScript: '/x/web-service', withDummy: false }),
    );
    expect(conf.fenceDevices[0]?.agent).toBe(layout.fenceAgent);
    expect(conf.fenceDevices[0]?.params.demo_dir).toBe(layout.root);
    expect(conf.nodes[1]?.fenceMethods[0]?.devices[0]?.params).toMatchObject({ port: 'node2' });
  });

  it('escapes a demo folder whose path holds XML characters', () => {
    const odd = demoLayout('/tmp/a&b"c');
    const conf = parseClusterConf(
      demoClusterConf({ layout: odd, webServiceScript: '/x/web-service', withDummy: false }),
    );
    expect(conf.fenceDevices[0]?.params.demo_dir).toBe('/tmp/a&b"c');
  });
});
