import { describe, expect, test } from 'vitest';
import { corpusFile, corpusPresent, corpusSkipReason } from '../../testing/corpus.js';
import { parseXml } from '../xml/xml-parse.js';
import { serializeXml } from '../xml/xml-serialize.js';
import { documentsEqual } from '../xml/xml-tree.js';
import { type Dependencies, readDependencies } from './dependencies.js';
import { parseClusterConf, readClusterConf } from './read.js';

/** `a -> b require=always colocate=never` per target. */
function rulesOf(deps: Dependencies): string[] {
  return deps.rules.flatMap((r) =>
    r.targets.map(
      (t) =>
        `${r.resource.type}:${r.resource.name} -> ${t.resource.type}:${t.resource.name}` +
        ` require=${t.require ?? '-'} colocate=${t.colocate ?? '-'}`,
    ),
  );
}

describe.skipIf(!corpusPresent)(
  `rgmanager's dependency tests${corpusPresent ? '' : ` (${corpusSkipReason})`}`,
  () => {
    test.each(['deptest1', 'deptest2'])('%s round-trips losslessly', (name) => {
      const doc = parseXml(corpusFile(`rgmanager-tests/${name}.conf`));
      const again = parseXml(serializeXml(doc));
      expect(documentsEqual(again, doc)).toBe(true);
      expect(rulesOf(readDependencies(readClusterConf(again)))).toEqual(
        rulesOf(readDependencies(readClusterConf(doc))),
      );
    });

    test('deptest1: A requires B and never runs beside it, B requires C', () => {
      const conf = parseClusterConf(corpusFile('rgmanager-tests/deptest1.conf'));
      const deps = readDependencies(conf);
      expect(deps.problems).toEqual([]);
      expect(rulesOf(deps)).toEqual([
        'service:a -> service:b require=always colocate=never',
        'service:b -> service:c require=always colocate=-',
      ]);
      expect(deps.rules[0]!.path).toBe('/cluster/rm/dependencies/dependency[1]');
      expect(deps.rules[0]!.targets[0]!.path).toBe(
        '/cluster/rm/dependencies/dependency[1]/target[1]',
      );
      // A may run on nodes 1 and 4 only, B on 3 and 4 only (restricted domains).
      const domains = conf.rm!.failoverDomains.map((d) => [
        d.name,
        d.restricted,
        d.nodes.map((n) => n.name),
      ]);
      expect(domains).toEqual([
        ['nodes-14', true, ['node1', 'node4']],
        ['nodes-34', true, ['node3', 'node4']],
      ]);
      expect(conf.rm!.services.map((s) => [s.params.name, s.params.domain])).toEqual([
        ['a', 'nodes-14'],
        ['b', 'nodes-34'],
        ['c', undefined],
      ]);
    });

    test('deptest2: A and C must run on the same node as B', () => {
      const deps = readDependencies(parseClusterConf(corpusFile('rgmanager-tests/deptest2.conf')));
      expect(deps.problems).toEqual([]);
      expect(rulesOf(deps)).toEqual([
        'service:a -> service:b require=always colocate=always',
        'service:c -> service:b require=always colocate=always',
      ]);
    });
  },
);

describe('readDependencies', () => {
  test('names bad rules by path and rule', () => {
    const conf = parseClusterConf(`<cluster><rm>
      <dependencies>
        <dependency name="a"><target name="service:b"/></dependency>
        <dependency name="service:b">
          <target name="service:b"/>
          <target name="service:ghost" require="sometimes" colocate="maybe"/>
          <target name="svc"/>
        </dependency>
      </dependencies>
      <service name="b"/>
    </rm></cluster>`);
    const deps = readDependencies(conf);
    const base = '/cluster/rm/dependencies/dependency';
    expect(deps.problems.map((p) => `${p.rule} ${p.path}`)).toEqual([
      `invalid-dependency ${base}[1]/@name`,
      `self-dependency ${base}[2]/target[1]/@name`,
      `unknown-dependency ${base}[2]/target[2]/@name`,
      `invalid-dependency ${base}[2]/target[2]/@require`,
      `invalid-dependency ${base}[2]/target[2]/@colocate`,
      `invalid-dependency ${base}[2]/target[3]/@name`,
    ]);
    expect(rulesOf(deps)).toEqual(['service:b -> service:ghost require=- colocate=-']);
  });

  test('a service referenced from <rm> counts as defined', () => {
    const conf = parseClusterConf(`<cluster><rm>
      <dependencies><dependency name="service:a"><target name="service:b" require="start"/></dependency></dependencies>
      <resources><service name="b"/></resources>
      <service name="a"/><service ref="b"/>
    </rm></cluster>`);
    const deps = readDependencies(conf);
    expect(deps.problems).toEqual([]);
    expect(rulesOf(deps)).toEqual(['service:a -> service:b require=start colocate=-']);
  });

  test('no <dependencies>, no rules', () => {
    expect(readDependencies(parseClusterConf('<cluster><rm/></cluster>'))).toEqual({
      rules: [],
      problems: [],
    });
  });
});
