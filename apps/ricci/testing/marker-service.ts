// Test fixture: an LSB init script for a service that does nothing but mark itself running (a
// file in the host's own state folder), so a test can run many cheap services. With a gate,
// `start` waits until the gate file exists: the test holds the service in `starting` and lets it
// go when it chooses.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `<dir>/<name>` and returns its path. */
export function writeMarkerService(dir: string, name: string, gate?: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`name: "${name}" must be [a-z][a-z0-9-]*`);
  const wait =
    gate === undefined
      ? ''
      : `  i=0; while [ ! -e '${gate}' ]; do i=$((i + 1)); [ $i -gt 2400 ] && exit 1; sleep 0.05; done\n`;
  const script = join(dir, name);
  writeFileSync(
    script,
    `#!/bin/sh
# LSB init script of the test service ${name}: a marker file in the host's state folder.
marker=/var/lib/quorate/${name}.running
case $1 in
start)
${wait}  touch "$marker"; exit 0 ;;
stop) rm -f "$marker"; exit 0 ;;
status) [ -e "$marker" ] && exit 0; exit 3 ;;
*) exit 2 ;;
esac
`,
  );
  chmodSync(script, 0o755);
  return script;
}
