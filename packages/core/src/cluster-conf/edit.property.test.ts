import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { arbClusterDocument, assertProperty } from '../../testing/arbitrary.js';
import { arbEditSeed, editFromSeed } from '../../testing/arbitrary-edits.js';
import { serializeXml } from '../xml/xml-serialize.js';
import { applyEdit } from './edit.js';
import { EditError } from './edit-model.js';
import { readClusterConf } from './read.js';
import { validateClusterConf } from './validate.js';

/** Freezes a tree so that any edit that mutated its input would throw. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const draftErrors = (conf: Parameters<typeof validateClusterConf>[0]) =>
  validateClusterConf(conf, 'draft').errors.map((e) => `${e.path}: ${e.message}`);

describe('edits (property)', () => {
  test('generated configurations are valid drafts', () => {
    assertProperty(
      fc.property(arbClusterDocument, (doc) => {
        expect(draftErrors(readClusterConf(doc))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('each edit keeps the draft valid and bumps the version by one; a refusal changes nothing', () => {
    let applied = 0;
    let refused = 0;
    assertProperty(
      fc.property(arbClusterDocument, fc.array(arbEditSeed, { maxLength: 12 }), (doc, seeds) => {
        let conf = readClusterConf(deepFreeze(doc));
        for (const seed of seeds) {
          const edit = editFromSeed(conf, seed);
          const before = serializeXml(conf.doc);
          try {
            const next = applyEdit(conf, edit);
            expect(next.configVersion, edit.op).toBe(conf.configVersion! + 1);
            expect(draftErrors(next), JSON.stringify(edit)).toEqual([]);
            conf = readClusterConf(deepFreeze(next.doc));
            applied++;
          } catch (e) {
            if (!(e instanceof EditError)) throw e;
            expect(e.message).toMatch(/^\/cluster\S*: /);
            expect(serializeXml(conf.doc)).toBe(before);
            refused++;
          }
        }
      }),
      { numRuns: 150 },
    );
    // Both paths must really be exercised, or the property proves little.
    expect(applied).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(50);
  });
});
