// Everything the demo writes before it starts a process: certificates made with `quorate cert`'s
// code, each node's cluster.conf, and the web service (an LSB init script and its server).
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createClusterCa,
  createNodeCert,
  ensurePrivateDir,
  setAgentPassword,
  tlsDirIn,
  writeCa,
  writeNodePair,
} from '@quorate/ricci';
import { DUMMY_AGENT_PATH, demoClusterConf } from './demo-cluster-conf.js';
import { DEMO_CLUSTER, DEMO_MARKER, type DemoLayout } from './demo-layout.js';

/**
 * Empties the demo folder for a fresh cluster; refuses a folder that holds anything but an
 * earlier demo's files, so a mistyped `--dir` never deletes someone's data.
 */
export function freshDemoDir(layout: DemoLayout): void {
  if (existsSync(layout.root)) {
    const entries = readdirSync(layout.root);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      throw new Error(
        `--dir ${layout.root}: holds files that are not the demo's; give an empty or new folder`,
      );
    }
    for (const entry of entries) rmSync(join(layout.root, entry), { recursive: true, force: true });
  }
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  writeFileSync(layout.marker, 'Quorate demo folder: `pnpm demo` empties it at each start.\n');
}

/** Each node's agent password (the hash of it), which the console sends once to be trusted. */
export async function setAgentPasswords(layout: DemoLayout, password: string): Promise<void> {
  for (const node of layout.nodes) await setAgentPassword(node.stateDir, password);
}

export async function writeCertificates(layout: DemoLayout): Promise<void> {
  const ca = await createClusterCa({ clusterName: DEMO_CLUSTER });
  for (const node of layout.nodes) {
    ensurePrivateDir(node.stateDir);
    const tls = tlsDirIn(node.stateDir);
    writeCa(tls, ca);
    writeNodePair(tls, node.name, await createNodeCert({ nodeName: node.name, ca }));
  }
}

/** Writes each node's folders and cluster.conf; returns whether Dummy is part of the service. */
export function writeNodeFiles(layout: DemoLayout, webPort: number): { withDummy: boolean } {
  const webServiceScript = writeWebService(layout.serviceDir, webPort);
  const withDummy = existsSync(DUMMY_AGENT_PATH);
  const conf = demoClusterConf({ layout, webServiceScript, withDummy });
  for (const node of layout.nodes) {
    mkdirSync(node.configDir, { recursive: true, mode: 0o755 });
    mkdirSync(node.runDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(node.configDir, 'cluster.conf'), conf, { mode: 0o640 });
  }
  return { withDummy };
}

/**
 * The demo web service: a server that answers with the name of the node it runs on, and the LSB
 * init script the `script` resource runs. Both work in the calling node's run folder (the
 * agent's working directory), where the pid and log go: so each node has its own, and
 * fence_demo finds the server there.
 */
export function writeWebService(dir: string, port: number): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const server = join(dir, 'web-server.mjs');
  writeFileSync(
    server,
    `// The demo web service: names the demo node whose run folder it works in.
import { createServer } from 'node:http';
import { basename, dirname } from 'node:path';
const node = basename(dirname(process.cwd()));
createServer((req, res) => res.end(\`hello from \${node}\\n\`)).listen(${port}, '127.0.0.1', () =>
  console.log('listening'));
`,
  );
  const script = join(dir, 'web-service');
  writeFileSync(
    script,
    `#!/bin/sh
# LSB init script of the demo web service; pid and log live in the node's run folder (the
# working directory every process of a demo node has).
pidfile=web.pid
log=web.log
# A zombie is stopped: the server's new parent may take its time to reap it.
alive() { s=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ]; }
running() { [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; }
case $1 in
start)
  running && exit 0
  : > "$log"
  '${process.execPath}' '${server}' >> "$log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 100); do grep -q listening "$log" && exit 0; running || exit 1; sleep 0.05; done
  exit 1 ;;
stop)
  running || { rm -f "$pidfile"; exit 0; }
  pid=$(cat "$pidfile"); kill "$pid"
  while alive "$pid"; do sleep 0.02; done
  rm -f "$pidfile"; exit 0 ;;
status) running && exit 0; exit 3 ;;
*) exit 2 ;;
esac
`,
  );
  chmodSync(script, 0o755);
  return script;
}
