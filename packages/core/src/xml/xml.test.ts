import { describe, expect, test } from 'vitest';
import {
  corpusConfigs,
  corpusFile,
  corpusPresent,
  corpusSkipReason,
} from '../../testing/corpus.js';
import { parseXml } from './xml-parse.js';
import { serializeXml } from './xml-serialize.js';
import { documentsEqual } from './xml-tree.js';

describe('corpus round trip', () => {
  test.skipIf(!corpusPresent)(
    `every corpus file round-trips losslessly ${corpusPresent ? '' : corpusSkipReason}`,
    () => {
      const files = corpusConfigs();
      expect(files.length).toBeGreaterThan(20);
      for (const f of files) {
        const doc = parseXml(corpusFile(f));
        expect(documentsEqual(parseXml(serializeXml(doc)), doc), f).toBe(true);
      }
    },
  );
});
