// Test-host fixture: a web server that answers with its host's name, and the LSB init script that
// the `script` resource runs it with. Its pid and log live in the host's own state folder. The
// agent's tests and `pnpm bench:failover` share it.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes both into `dir` and returns the init script's path. `args` is the shell text after the
 * server in the script's start line: the address and port it listens on, and optionally a
 * document root whose `index.html`, when there, is the page (read on each request, so a file
 * system mounted there later serves it), followed by the host's name.
 */
export function writeWebService(dir: string, args: string): string {
  const server = join(dir, 'web-server.mjs');
  writeFileSync(
    server,
    `import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
const [address, port, docroot] = process.argv.slice(2);
const page = () => {
  try {
    if (docroot) return \`\${readFileSync(docroot + '/index.html', 'utf8').trim()} (\${hostname()})\\n\`;
  } catch {}
  return \`hello from \${hostname()}\\n\`;
};
createServer((req, res) => res.end(page())).listen(Number(port), address, () =>
  console.log('listening'));
`,
  );
  const script = join(dir, 'web-service');
  writeFileSync(
    script,
    `#!/bin/sh
# LSB init script of the test web server; its pid and log live in the host's state folder.
pidfile=/var/lib/quorate/web.pid
log=/var/lib/quorate/web.log
# A zombie is stopped: the server's new parent may take its time to reap it.
alive() { s=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ]; }
running() { [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; }
case $1 in
start)
  running && exit 0
  : > "$log"
  ${process.execPath} ${server} ${args} >> "$log" 2>&1 &
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
