import { describe, expect, test } from 'vitest';
import { parseXml } from '../xml/xml-parse.js';
import type { XmlElement } from '../xml/xml-tree.js';
import { childElements, element, withAttr } from '../xml/xml-tree.js';
import { EditError } from './edit-model.js';
import { clusterSectionOrder, ensureSection, insertChild, updateAt } from './edit-tree.js';

const names = (el: XmlElement) => el.children.map((c) => (c.type === 'element' ? c.name : c.type));

describe('edit-tree', () => {
  const root = parseXml('<cluster><a/><b n="1"/><!-- c --><b n="2"><x/></b></cluster>').root;

  test('updateAt copies only the path to the change and keeps everything else', () => {
    const next = updateAt(root, '/cluster/b[2]/x', (el) => withAttr(el, 'k', 'v'));
    expect(next).not.toBe(root);
    expect(next.children[0]).toBe(root.children[0]);
    expect(next.children[2]).toBe(root.children[2]);
    expect(childElements(childElements(next, 'b')[1]!)[0]!.attrs).toEqual([
      { name: 'k', value: 'v' },
    ]);
    const removed = updateAt(root, '/cluster/b[1]', () => null);
    expect(names(removed)).toEqual(['a', 'comment', 'b']);
  });

  test('updateAt refuses a path that leads to another element than the view was read from', () => {
    const second = childElements(root, 'b')[1]!;
    expect(() => updateAt(root, '/cluster/b[1]', (el) => el, second)).toThrow(EditError);
  });

  test('insertChild goes after the last of its kind, else before what follows, else last', () => {
    expect(names(insertChild(root, element('b'), ['b']))).toEqual(['a', 'b', 'comment', 'b', 'b']);
    expect(names(insertChild(root, element('z'), ['none'], ['b']))).toEqual([
      'a',
      'z',
      'b',
      'comment',
      'b',
    ]);
    expect(names(insertChild(root, element('z'), []))).toEqual(['a', 'b', 'comment', 'b', 'z']);
  });

  test('ensureSection creates a missing section in the usual order only once', () => {
    const cluster = parseXml('<cluster><!-- top --><clusternodes/><rm/></cluster>').root;
    const once = ensureSection(cluster, 'fencedevices', clusterSectionOrder);
    expect(names(once)).toEqual(['comment', 'clusternodes', 'fencedevices', 'rm']);
    expect(ensureSection(once, 'fencedevices', clusterSectionOrder)).toBe(once);
    expect(names(ensureSection(cluster, 'cman', clusterSectionOrder))).toEqual([
      'comment',
      'cman',
      'clusternodes',
      'rm',
    ]);
  });
});
