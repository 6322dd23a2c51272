import { describe, expect, test } from 'vitest';
import { corpusFile, corpusPresent, corpusSkipReason } from '../../testing/corpus.js';
import { parseClusterConf } from './read.js';
import { type ConfigDelta, configDelta } from './resource-delta.js';

/** One line per step: `stop service:a/ip:1` (`stop*` when implied by an ancestor). */
function summary(delta: ConfigDelta): string[] {
  return delta.services.flatMap((s) =>
    [...s.stop, ...s.start, ...s.reconfig].map(
      (step) => `${step.action}${step.implied ? '*' : ''} ${step.place}`,
    ),
  );
}

function rm(body: string) {
  return parseClusterConf(`<cluster name="c" config_version="1"><rm>${body}</rm></cluster>`);
}

const corpusConf = (n: number) =>
  parseClusterConf(corpusFile(`rgmanager-tests/test${String(n).padStart(3, '0')}.conf`));

// Each file's leading comment says what the change from the previous file must do.
const corpusPairs: Array<[number, string[]]> = [
  [2, []],
  [3, ['start service:test1/script:initscript']],
  [4, ['stop service:test1/script:initscript', 'start service:test1/script:initscript']],
  [5, ['start service:test1/ip:192.168.1.2']],
  [6, ['stop service:test1/ip:192.168.1.2', 'start service:test1/ip:192.168.1.2']],
  [7, ['stop service:test1/ip:192.168.1.2', 'start service:test1/ip:192.168.1.3']],
  [8, []],
  [9, ['start service:test1/fs:mount1']],
  [10, []],
  [
    11,
    [
      'start service:test1/fs:mount1/nfsexport:Dummy Export',
      'start* service:test1/fs:mount1/nfsexport:Dummy Export/nfsclient:Admin group',
      'start* service:test1/fs:mount1/nfsexport:Dummy Export/nfsclient:User group',
    ],
  ],
  [12, ['start service:test1/fs:mount1/nfsexport:Dummy Export/nfsclient:red']],
  [
    13,
    [
      'stop service:test1/fs:mount1/nfsexport:Dummy Export/nfsclient:red',
      'start service:test1/fs:mount1/nfsexport:Dummy Export/nfsclient:red',
    ],
  ],
  [
    14,
    [
      'start service:test2',
      'start* service:test2/fs:mount2',
      'start* service:test2/fs:mount2/nfsexport:Dummy Export',
      'start* service:test2/fs:mount2/nfsexport:Dummy Export/nfsclient:Admin group',
      'start* service:test2/fs:mount2/nfsexport:Dummy Export/nfsclient:User group',
      'start* service:test2/fs:mount2/nfsexport:Dummy Export/nfsclient:red',
      'start* service:test2/ip:192.168.1.4',
      'start* service:test2/script:initscript',
    ],
  ],
  [
    15,
    [
      'stop service:test1/fs:mount1/nfsexport:Dummy Export/nfsclient:User group',
      'start service:test1/fs:mount1/nfsexport:Dummy Export/nfsclient:User group',
      'stop service:test2/fs:mount2/nfsexport:Dummy Export/nfsclient:User group',
      'start service:test2/fs:mount2/nfsexport:Dummy Export/nfsclient:User group',
    ],
  ],
  // test016 adds a second reference to a unique ip, which is dropped: nothing changes.
  [16, []],
  // test017 moves test1's ip away and rebuilds test2 under its script.
  [
    17,
    [
      'stop service:test1/ip:192.168.1.3',
      'stop service:test2/ip:192.168.1.4',
      'stop* service:test2/fs:mount2/nfsexport:Dummy Export/nfsclient:red',
      'stop* service:test2/fs:mount2/nfsexport:Dummy Export/nfsclient:User group',
      'stop* service:test2/fs:mount2/nfsexport:Dummy Export/nfsclient:Admin group',
      'stop* service:test2/fs:mount2/nfsexport:Dummy Export',
      'stop service:test2/fs:mount2',
      'start service:test2/script:initscript/ip:192.168.1.3',
      'start service:test2/script:initscript/fs:mount2',
      'start* service:test2/script:initscript/fs:mount2/nfsexport:Dummy Export',
      'start* service:test2/script:initscript/fs:mount2/nfsexport:Dummy Export/nfsclient:Admin group',
      'start* service:test2/script:initscript/fs:mount2/nfsexport:Dummy Export/nfsclient:User group',
      'start* service:test2/script:initscript/fs:mount2/nfsexport:Dummy Export/nfsclient:red',
      'start service:test2/script:initscript/script:script2',
      'start service:test2/script:initscript/ip:192.168.1.4',
      'start service:test2/script:script3',
    ],
  ],
  [
    18,
    [
      'start service:test1/script:initscript/clusterfs:argle',
      'start service:test2/script:initscript/clusterfs:argle',
    ],
  ],
];

describe.skipIf(!corpusPresent)(
  `config deltas between successive rgmanager tests${corpusPresent ? '' : ` (${corpusSkipReason})`}`,
  () => {
    test.each(corpusPairs)('test%i from its predecessor', (n, expected) => {
      const delta = configDelta(corpusConf(n - 1), corpusConf(n));
      expect(summary(delta)).toEqual(expected);
    });

    test('test003→004 names the changed attribute', () => {
      const [svc] = configDelta(corpusConf(3), corpusConf(4)).services;
      expect(svc!.change).toBe('changed');
      expect(svc!.stop[0]!.changedAttributes).toEqual(['file']);
      expect(svc!.stop[0]!.path).toBe('/cluster/rm/service[1]/script[1]');
    });

    test('enforcing timeouts on one client (STABLE3 test012) only reconfigures it', () => {
      const stable3 = parseClusterConf(corpusFile('beekhof-cluster-STABLE3-test012.conf'));
      const delta = configDelta(corpusConf(12), stable3);
      expect(summary(delta)).toEqual([
        'reconfig service:test1/fs:mount1/nfsexport:Dummy Export/nfsclient:Admin group',
      ]);
      expect(delta.services[0]!.reconfig[0]!.changedAttributes).toEqual(['__enforce_timeouts']);
    });

    test('test013→014 marks the new service as added, the old one unchanged', () => {
      const delta = configDelta(corpusConf(13), corpusConf(14));
      expect(delta.services.map((s) => [s.name, s.change])).toEqual([
        ['test1', 'unchanged'],
        ['test2', 'added'],
      ]);
    });
  },
);

describe('configDelta', () => {
  test('only reconfig attributes changed: reconfigure, restart nothing', () => {
    const delta = configDelta(
      rm(
        '<service name="s" recovery="restart"><fs name="f" mountpoint="/m" device="/d"/></service>',
      ),
      rm(
        '<service name="s" recovery="relocate"><fs name="f" mountpoint="/m" device="/d" force_unmount="1"/></service>',
      ),
    );
    expect(summary(delta)).toEqual(['reconfig service:s', 'reconfig service:s/fs:f']);
    expect(delta.services[0]!.reconfig[0]!.changedAttributes).toEqual(['recovery']);
  });

  test('a reconfig change beside a restarting one restarts', () => {
    const delta = configDelta(
      rm('<service name="s"><fs name="f" mountpoint="/m" device="/d"/></service>'),
      rm(
        '<service name="s"><fs name="f" mountpoint="/m" device="/e" force_unmount="1"/></service>',
      ),
    );
    expect(summary(delta)).toEqual(['stop service:s/fs:f', 'start service:s/fs:f']);
    expect(delta.services[0]!.start[0]!.changedAttributes).toEqual(['device', 'force_unmount']);
  });

  test('__ internals change without a restart', () => {
    const delta = configDelta(
      rm('<service name="s"><script name="x" file="/x"/></service>'),
      rm('<service name="s"><script name="x" file="/x" __independent_subtree="1"/></service>'),
    );
    expect(summary(delta)).toEqual(['reconfig service:s/script:x']);
  });

  test('a changed inherited value restarts the inheriting resource', () => {
    const delta = configDelta(
      rm('<service name="s"><ip address="10.0.0.1"/></service>'),
      rm('<service name="s" nfslock="1"><ip address="10.0.0.1"/></service>'),
    );
    // service nfslock is not reconfig: the whole service restarts, the ip with it.
    expect(summary(delta)).toEqual([
      'stop* service:s/ip:10.0.0.1',
      'stop service:s',
      'start service:s',
      'start* service:s/ip:10.0.0.1',
    ]);
  });

  test('a removed service stops whole, in stop order', () => {
    const delta = configDelta(
      rm(
        '<service name="a"/><service name="b"><ip address="10.0.0.1"/><script name="x" file="/x"/></service>',
      ),
      rm('<service name="a"/>'),
    );
    expect(delta.services.map((s) => s.change)).toEqual(['unchanged', 'removed']);
    expect(summary(delta)).toEqual([
      'stop* service:b/script:x',
      'stop* service:b/ip:10.0.0.1',
      'stop service:b',
    ]);
  });

  test('moving a resource to another parent stops it there and starts it here', () => {
    const delta = configDelta(
      rm('<service name="s"><script name="a" file="/a"/><script name="b" file="/b"/></service>'),
      rm(
        '<service name="s"><script name="a" file="/a"><script name="b" file="/b"/></script></service>',
      ),
    );
    expect(summary(delta)).toEqual([
      'stop service:s/script:b',
      'start service:s/script:a/script:b',
    ]);
  });

  test('repeated siblings are told apart by their occurrence', () => {
    const delta = configDelta(
      rm(
        '<resources><clusterfs name="g" mountpoint="/g" device="/dev/g"/></resources><service name="s"><clusterfs ref="g"/></service>',
      ),
      rm(
        '<resources><clusterfs name="g" mountpoint="/g" device="/dev/g"/></resources><service name="s"><clusterfs ref="g"/><clusterfs ref="g"/></service>',
      ),
    );
    expect(summary(delta)).toEqual(['start service:s/clusterfs:g#2']);
  });

  test('problems of the new configuration are passed on', () => {
    const delta = configDelta(
      rm('<service name="s"/>'),
      rm('<service name="s"><ip ref="nope"/></service>'),
    );
    expect(delta.problems.map((p) => p.rule)).toEqual(['unknown-resource-ref']);
  });
});
