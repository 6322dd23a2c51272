// The test process that dies midway (sweep.test.ts): it builds a small network, starts a process
// on every host that forks a child of its own (which the harness never records), reports what
// it made as one JSON line, and waits to be SIGKILLed.
import { readStartTime } from './procfs.js';
import { TestNetwork } from './test-network.js';

const forker = [
  '-e',
  `const child = require('child_process').spawn(process.execPath,
     ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
   setInterval(() => {}, 60000);
   console.log('forked ' + child.pid);`,
];
const network = await TestNetwork.create({ clusterHosts: 2 });
const started = [...network.hosts.keys()].map((name) =>
  network.spawn(name, process.execPath, forker),
);
const lines = await Promise.all(started.map((running) => running.waitForLine(/^forked /, 10_000)));
const unrecorded = lines.map((line) => {
  const pid = Number(line.split(' ')[1]);
  return { pid, startTime: readStartTime(pid) ?? -1 };
});
const report = {
  runId: network.runId,
  namespaces: [...network.hosts.values()].map((host) => host.namespace),
  processes: started.map((running) => running.identity),
  unrecorded,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
// The host processes' pipes keep this process alive until the test kills it.
