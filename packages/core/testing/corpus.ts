// Locates ../shared/corpus for tests. Outside CI a missing corpus is a skip that says so;
// with CI=true it is a failure (shared/corpus/cluster-conf/EXPECTED.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

export const corpusDir =
  process.env.QUORATE_CORPUS ?? resolve(repoRoot, '../shared/corpus/cluster-conf');
export const corpusPresent = existsSync(corpusDir);
export const corpusSkipReason = `corpus not found at ${corpusDir} (set QUORATE_CORPUS); skipping`;

if (!corpusPresent && process.env.CI === 'true') {
  throw new Error(`CI=true but the cluster.conf corpus is missing at ${corpusDir}`);
}
if (!corpusPresent) console.warn(corpusSkipReason);

export function corpusFile(name: string): string {
  return readFileSync(join(corpusDir, name), 'utf8');
}

/** Every .conf/.xml file in the corpus, relative to its folder. */
export function corpusConfigs(): string[] {
  if (!corpusPresent) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(corpusDir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(name);
      else if (/\.(conf|xml)$/.test(entry.name)) out.push(name);
    }
  };
  walk('');
  return out.sort();
}
