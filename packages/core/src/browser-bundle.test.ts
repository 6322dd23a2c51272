// DESIGN.md §1: the core runs in the browser too. Building it for the browser proves that it
// pulls in no Node built-in (its build already has no Node types, so such an import would not
// type-check either). Vite would quietly swap a built-in for an empty shim, so a plugin records
// every built-in that anything asks for.
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin, type Rolldown } from 'vite';
import { expect, test } from 'vitest';

test('packages/core bundles for the browser with no Node built-ins', async () => {
  const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
  const builtins: string[] = [];
  const recordBuiltins: Plugin = {
    name: 'record-node-builtins',
    enforce: 'pre',
    resolveId(id, importer) {
      if (isBuiltin(id)) builtins.push(`${id} (imported by ${importer})`);
      return null;
    },
  };
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [recordBuiltins],
    resolve: { conditions: ['@quorate/source', 'browser', 'import', 'default'] },
    build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'core' } },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const code = outputs
    .flatMap((o) => o.output)
    .map((c) => ('code' in c ? c.code : ''))
    .join('\n');
  expect(builtins).toEqual([]);
  expect(code).not.toMatch(/\brequire\(/);
  // The public API made it into the bundle.
  expect(code).toContain('validateClusterConf');
  expect(code).toContain('ClusterNode');
});
