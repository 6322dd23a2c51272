// The licenses that travel with the executable: Node.js's (the runtime is a copy of it) and
// those of the npm packages bundled into its script.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where Node.js installs keep their LICENSE, relative to the node executable or absolute. */
function nodeLicenseCandidates(): string[] {
  const prefix = dirname(dirname(process.execPath));
  return [
    join(prefix, 'LICENSE'),
    join(prefix, 'share', 'doc', 'node', 'LICENSE'),
    join(prefix, 'share', 'doc', 'nodejs', 'LICENSE'),
    '/usr/share/doc/nodejs/LICENSE',
  ];
}

export function nodeLicenseText(): string {
  const candidates = nodeLicenseCandidates();
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `Node.js's LICENSE must ship with the executable; none of ${candidates.join(', ')} exists`,
    );
  }
  return readFileSync(found, 'utf8');
}

/** The package folder of a bundled file inside node_modules, or undefined for our own code. */
function packageRootOf(path: string): string | undefined {
  const marker = '/node_modules/';
  const at = path.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = path.slice(at + marker.length).split('/');
  const nameParts = rest[0]?.startsWith('@') ? 2 : 1;
  return path.slice(0, at + marker.length) + rest.slice(0, nameParts).join('/');
}

function noticeOf(root: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const licenseFile = readdirSync(root).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  const text = licenseFile
    ? readFileSync(join(root, licenseFile), 'utf8').trim()
    : `(the package has no license file; its package.json says "${manifest.license}")`;
  return `== ${manifest.name} ${manifest.version} (${manifest.license}) ==\n\n${text}\n`;
}

/**
 * One notice per npm package among esbuild's inputs (paths relative to `workingDir`), sorted by
 * name, with the package's license text.
 */
export function bundledPackageNotices(workingDir: string, inputs: readonly string[]): string {
  const roots = new Set<string>();
  for (const input of inputs) {
    const root = packageRootOf(resolve(workingDir, input));
    if (root) roots.add(root);
  }
  const notices = [...roots].map(noticeOf).sort();
  return [
    'The JavaScript packages bundled into bin/quorate, with their licenses.\n',
    ...notices,
  ].join('\n');
}
