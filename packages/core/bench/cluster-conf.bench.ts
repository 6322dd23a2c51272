// `pnpm bench:config`: what one cluster.conf change costs at 32 nodes × 1,000 services.
import { bench, describe } from 'vitest';
import { applyEdit } from '../src/cluster-conf/edit.js';
import { parseClusterConf } from '../src/cluster-conf/read.js';
import { configDelta } from '../src/cluster-conf/resource-delta.js';
import { buildResourceTrees } from '../src/cluster-conf/resource-tree.js';
import { validateClusterConf } from '../src/cluster-conf/validate.js';
import { parseXml } from '../src/xml/xml-parse.js';
import { serializeXml } from '../src/xml/xml-serialize.js';
import { largeConfigXml } from './large-config.js';

const text = largeConfigXml();
const conf = parseClusterConf(text);
const changed = parseClusterConf(largeConfigXml(32, 1000, 2, 500));
console.log(
  `config: ${text.length} bytes, ${conf.nodes.length} nodes, ${conf.rm?.services.length} services`,
);

describe('cluster.conf, 32 nodes × 1,000 services', () => {
  bench('parseXml', () => {
    parseXml(text);
  });
  bench('parseClusterConf (parse + typed view)', () => {
    parseClusterConf(text);
  });
  bench('serializeXml', () => {
    serializeXml(conf.doc);
  });
  bench('validate (runnable)', () => {
    validateClusterConf(conf, 'runnable');
  });
  bench('buildResourceTrees', () => {
    buildResourceTrees(conf);
  });
  bench('configDelta (one script changed)', () => {
    configDelta(conf, changed);
  });
  bench('applyEdit (add a node, validated)', () => {
    applyEdit(conf, { op: 'addNode', name: 'n33', nodeid: 33 });
  });
});
