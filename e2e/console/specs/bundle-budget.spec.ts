import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';

const assets = fileURLToPath(new URL('../../../apps/web/dist/assets/', import.meta.url));
const budgetBytes = 300 * 1024;

test('the console’s JavaScript stays under 300 KB gzipped (DESIGN.md §7)', () => {
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  const gzipped = scripts.reduce(
    (sum, name) => sum + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length,
    0,
  );
  console.log(
    `web app JavaScript: ${scripts.length} file(s), ${(gzipped / 1024).toFixed(1)} KB gzipped`,
  );
  expect(gzipped).toBeLessThan(budgetBytes);
});
