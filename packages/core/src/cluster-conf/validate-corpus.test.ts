// Verdicts for ../shared/corpus/cluster-conf as its EXPECTED.md states them.
import { describe, expect, test } from 'vitest';
import {
  corpusConfigs,
  corpusFile,
  corpusPresent,
  corpusSkipReason,
} from '../../testing/corpus.js';
import { parseClusterConf } from './read.js';
import { validateClusterConf } from './validate.js';

const skipNote = corpusPresent ? '' : ` (${corpusSkipReason})`;
const corpusTest = test.skipIf(!corpusPresent);

function judge(file: string) {
  const conf = parseClusterConf(corpusFile(file));
  return {
    draft: validateClusterConf(conf, 'draft'),
    runnable: validateClusterConf(conf, 'runnable'),
  };
}

const rulesOf = (issues: ReadonlyArray<{ rule: string }>) => issues.map((i) => i.rule).sort();

/** The `<rm>` fragments from rgmanager's own tests (all but test016, judged on its own). */
function fragments(): string[] {
  return corpusConfigs().filter((f) => /test0\d\d\.conf$/.test(f) && !f.endsWith('/test016.conf'));
}

describe(`corpus verdicts${skipNote}`, () => {
  corpusTest('qpid example: runnable, with only the no-fencing warning', () => {
    const { draft, runnable } = judge('qpid-cpp-etc-cluster.conf-example.xml');
    expect(draft.errors).toEqual([]);
    expect(runnable.errors).toEqual([]);
    expect(rulesOf(runnable.warnings)).toEqual(['no-fencing']);
    expect(runnable.warnings[0]!.message).toMatch(/manual/);
  });

  corpusTest(
    '<rm> fragments are valid drafts, not runnable for want of name, version, nodes',
    () => {
      const files = fragments();
      expect(files.length).toBeGreaterThanOrEqual(18);
      for (const file of files) {
        const { draft, runnable } = judge(file);
        expect(draft.errors, file).toEqual([]);
        expect(rulesOf(runnable.errors), file).toEqual([
          'cluster-name-required',
          'config-version-required',
          'no-nodes',
        ]);
        const noName = runnable.errors.find((e) => e.rule === 'cluster-name-required')!;
        expect(noName.path).toBe('/cluster/@name');
        expect(runnable.errors.find((e) => e.rule === 'no-nodes')!.message).toMatch(/no nodes/);
      }
    },
  );

  corpusTest('test016: one ip in two services is an error naming both services', () => {
    const { draft, runnable } = judge('rgmanager-tests/test016.conf');
    expect(draft.errors).toHaveLength(1);
    const [error] = draft.errors;
    expect(error!.rule).toBe('max-instances-exceeded');
    expect(error!.path).toBe('/cluster/rm/service[2]/ip[1]/@ref');
    expect(error!.message).toContain('192.168.1.3');
    expect(error!.message).toContain('service test1');
    expect(error!.message).toContain('service test2');
    expect(rulesOf(runnable.errors)).toContain('max-instances-exceeded');
  });

  corpusTest('rgmanager-tests/cluster.conf: the old schema, named with its elements', () => {
    const { draft, runnable } = judge('rgmanager-tests/cluster.conf');
    const old = draft.errors.find((e) => e.rule === 'old-schema');
    expect(old?.path).toBe('/cluster');
    for (const element of ['<nodes>', '<fence_devices>', '<group>']) {
      expect(old!.message).toContain(element);
    }
    expect(old!.message).toMatch(/pre-cluster3/);
    expect(rulesOf(runnable.errors)).toContain('old-schema');
    // Its many <group> elements give one warning for the unknown type, not one each.
    expect(draft.warnings.filter((w) => w.rule === 'unknown-resource-type')).toHaveLength(1);
  });

  // deptest1/2 are rgmanager's dependency-engine fixtures: complete <clusternodes>, domains and
  // services but no cluster name or config_version. Valid drafts (their <dependencies> name
  // existing services); not runnable for want of a name and a version; no fencing is a warning.
  corpusTest('deptest1 and deptest2: valid drafts, not runnable without name and version', () => {
    for (const file of ['rgmanager-tests/deptest1.conf', 'rgmanager-tests/deptest2.conf']) {
      const { draft, runnable } = judge(file);
      expect(draft.errors, file).toEqual([]);
      expect(rulesOf(runnable.errors), file).toEqual([
        'cluster-name-required',
        'config-version-required',
      ]);
      expect(rulesOf(runnable.warnings), file).toContain('no-fencing');
    }
  });

  corpusTest('every corpus file is judged without throwing', () => {
    for (const file of corpusConfigs()) {
      const { draft, runnable } = judge(file);
      // Draft errors are runnable errors too.
      for (const e of draft.errors) expect(runnable.errors, file).toContainEqual(e);
    }
  });
});
