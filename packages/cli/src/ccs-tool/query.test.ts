import { parseXml } from '@quorate/core';
import { describe, expect, test } from 'vitest';
import { CcsToolError } from './config-file.js';
import { runQuery } from './query.js';

const doc = parseXml(`<cluster name="web" config_version="12">
  <cman two_node="1" expected_votes="1"/>
  <clusternodes>
    <clusternode name="a" nodeid="1" votes="1"><fence><method name="p"><device name="apc" port="1"/></method></fence></clusternode>
    <clusternode name="b" nodeid="2" votes="3"/>
  </clusternodes>
  <fencedevices><fencedevice name="apc" agent="fence_apc" ipaddr="pdu"/></fencedevices>
  <rm><service name="www" domain="d"/><service name="db"/></rm>
</cluster>`);

const q = (xpath: string) => runQuery(doc, xpath);

describe('ccs_tool query', () => {
  test('the common questions', () => {
    expect(q('/cluster/@name')).toEqual(['web']);
    expect(q('/cluster/@config_version')).toEqual(['12']);
    expect(q('/cluster/clusternodes/clusternode[@name="b"]/@votes')).toEqual(['3']);
    expect(q("/cluster/clusternodes/clusternode[@name='a']/@nodeid")).toEqual(['1']);
    expect(q('/cluster/clusternodes/clusternode/@name')).toEqual(['a', 'b']);
    expect(q('/cluster/clusternodes/clusternode[2]/@name')).toEqual(['b']);
    expect(q('/cluster/clusternodes/clusternode[last()]/@nodeid')).toEqual(['2']);
    expect(q('/cluster/rm/service[@domain]/@name')).toEqual(['www']);
    expect(q('//device/@port')).toEqual(['1']);
    expect(q('/cluster/cman/@*')).toEqual(['two_node=1', 'expected_votes=1']);
    expect(q('/cluster/*[1]/@two_node')).toEqual(['1']);
  });

  test('counts', () => {
    expect(q('count(/cluster/clusternodes/clusternode)')).toEqual(['2']);
    expect(q('count(//service)')).toEqual(['2']);
    expect(q('count(/cluster/clusternodes/clusternode[@name="zz"])')).toEqual(['0']);
  });

  test('an element prints as XML; nothing matched is an empty answer', () => {
    expect(q('/cluster/fencedevices')).toEqual([
      '<fencedevices>\n  <fencedevice name="apc" agent="fence_apc" ipaddr="pdu"/>\n</fencedevices>',
    ]);
    expect(q('/cluster/totem/@token')).toEqual([]);
    expect(q('/cluster/clusternodes/clusternode[9]')).toEqual([]);
  });

  test('what the subset does not cover is refused with what it does', () => {
    for (const bad of [
      'cluster/@name',
      '/cluster/@name/x',
      '/cluster[@name!="x"]',
      '//@name',
      '',
    ]) {
      expect(() => q(bad), bad).toThrow(CcsToolError);
    }
    expect(() => q('/cluster/clusternode[position()>1]')).toThrow(
      'query: cannot read "/cluster/clusternode[position()>1]" at "[position()>1]"; supported: /a/b[@x="v"][2]/@c, //b, *, @*, count(...)',
    );
  });
});
