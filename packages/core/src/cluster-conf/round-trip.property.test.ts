import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  arbClusterDocument,
  arbTextStyle,
  assertProperty,
  renderInStyle,
} from '../../testing/arbitrary.js';
import { parseXml } from '../xml/xml-parse.js';
import { serializeXml } from '../xml/xml-serialize.js';
import { documentsEqual } from '../xml/xml-tree.js';
import { readClusterConf } from './read.js';

describe('lossless round trip (property)', () => {
  test('serializeXml then parseXml gives back the same document', () => {
    assertProperty(
      fc.property(arbClusterDocument, (doc) => {
        const text = serializeXml(doc);
        expect(documentsEqual(parseXml(text), doc)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('parse(serialize(parse(x))) equals parse(x) for text written in other styles', () => {
    assertProperty(
      fc.property(arbClusterDocument, arbTextStyle, (doc, style) => {
        const text = renderInStyle(doc, style);
        const once = parseXml(text);
        expect(documentsEqual(once, doc)).toBe(true);
        expect(documentsEqual(parseXml(serializeXml(once)), once)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('the typed view reads the generated references back', () => {
    assertProperty(
      fc.property(arbClusterDocument, (doc) => {
        const conf = readClusterConf(parseXml(serializeXml(doc)));
        const devices = new Set(conf.fenceDevices.map((d) => d.name));
        for (const node of conf.nodes) {
          for (const m of node.fenceMethods) {
            for (const d of m.devices) expect(devices.has(d.name)).toBe(true);
          }
        }
        expect(new Set(conf.nodes.map((n) => n.nodeid)).size).toBe(conf.nodes.length);
      }),
      { numRuns: 100 },
    );
  });
});
