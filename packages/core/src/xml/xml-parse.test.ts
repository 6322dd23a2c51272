import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { maxConfigBytes, maxDepth, parseXml, XmlInputError } from './xml-parse.js';
import { serializeXml } from './xml-serialize.js';
import { attr, documentsEqual, element, firstChild, withAttr } from './xml-tree.js';

/** The XmlInputError a parse throws (fails the test if it throws anything else, or nothing). */
function refusal(text: string): XmlInputError {
  try {
    parseXml(text);
  } catch (e) {
    expect(e).toBeInstanceOf(XmlInputError);
    return e as XmlInputError;
  }
  throw new Error(`parseXml accepted ${JSON.stringify(text.slice(0, 80))}`);
}

function roundTrips(text: string): void {
  const doc = parseXml(text);
  const again = parseXml(serializeXml(doc));
  expect(documentsEqual(again, doc)).toBe(true);
  expect(serializeXml(again)).toBe(serializeXml(doc));
}

describe('refused input', () => {
  test('an empty or blank file', () => {
    expect(refusal('').code).toBe('CONFIG_NOT_XML');
    expect(refusal(' \n\t ').message).toBe('the file is empty');
  });

  test('a truncated file names the elements left open', () => {
    const e = refusal('<cluster name="a"><clusternodes><clusternode name="n1" nodeid="1"/>');
    expect(e.code).toBe('CONFIG_NOT_XML');
    expect(e.message).toContain('<cluster>, <clusternodes>');
    expect(e.message).toMatch(/truncated/);
    expect(refusal('<cluster name="a">').message).toMatch(/<cluster> is still open/);
    expect(refusal('<cluster name="a').message).toMatch(/line 1, column \d+/);
  });

  test('text that is not XML', () => {
    for (const text of ['{"cluster": {"name": "a"}}', 'cluster name=a', 'PK\u0003\u0004\u0000']) {
      expect(refusal(text).code).toBe('CONFIG_NOT_XML');
    }
  });

  test('two root elements, and text outside the root', () => {
    expect(refusal('<cluster/><cluster/>').message).toMatch(/second root element <cluster>/);
    expect(refusal('<cluster/>trailing').message).toMatch(/text after the root element/);
    expect(refusal('<cluster/> <!-- c --> trailing').code).toBe('CONFIG_NOT_XML');
    expect(parseXml('<cluster/>\n<!-- after -->\n').after).toHaveLength(1);
  });

  test('a 50 MB file is refused as too large', () => {
    const huge = `<cluster>${'<x a="1"/>'.repeat(5 * 1024 * 1024)}</cluster>`;
    expect(huge.length).toBeGreaterThan(50 * 1024 * 1024);
    const e = refusal(huge);
    expect(e.code).toBe('CONFIG_TOO_LARGE');
    expect(e.message).toContain(String(maxConfigBytes));
  });

  test('size counts UTF-8 bytes: 4 MiB of two-byte characters is too large', () => {
    const text = `<cluster name="${'é'.repeat(maxConfigBytes / 2)}"/>`;
    expect(text.length).toBeLessThan(maxConfigBytes);
    expect(refusal(text).code).toBe('CONFIG_TOO_LARGE');
  });

  test('a DOCTYPE with an entity bomb is refused before anything expands', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE cluster [<!ENTITY a "aaaaaaaaaa">' +
      '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">' +
      '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><cluster name="&d;"/>';
    const e = refusal(bomb);
    expect(e.code).toBe('CONFIG_UNSUPPORTED_XML');
    expect(e.message).toMatch(/DOCTYPE/);
    expect(refusal('<!DOCTYPE cluster SYSTEM "file:///etc/passwd"><cluster/>').code).toBe(
      'CONFIG_UNSUPPORTED_XML',
    );
  });

  test('entities other than the five XML ones are refused', () => {
    expect(refusal('<cluster name="&nbsp;"/>').message).toMatch(/unknown entity &nbsp;/);
    expect(refusal('<cluster name="a & b"/>').message).toMatch(/'&' must start an entity/);
    expect(refusal('<cluster name="&#0;"/>').code).toBe('CONFIG_NOT_XML');
  });

  test('deep nesting is refused cleanly, however deep', () => {
    for (const depth of [maxDepth + 2, 1000, 100_000]) {
      const text = `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
      const e = refusal(text);
      expect(e.code, `depth ${depth}`).toBe('CONFIG_UNSUPPORTED_XML');
      expect(e.message).toMatch(/nested deeper than 64/);
    }
    const ok = `${'<a>'.repeat(maxDepth - 1)}${'</a>'.repeat(maxDepth - 1)}`;
    expect(parseXml(ok).root.name).toBe('a');
  });

  test('processing instructions inside the document and duplicate attributes', () => {
    expect(refusal('<cluster><?php echo 1 ?></cluster>').code).toBe('CONFIG_UNSUPPORTED_XML');
    expect(refusal('<cluster name="a" name="b"/>').message).toMatch(/repeated/);
  });

  test("a raw '<' in an attribute value", () => {
    expect(refusal('<cluster name="a<b"/>').message).toContain('/cluster/@name');
  });
});

describe('input that survives intact', () => {
  test('quotes, apostrophes, ampersands and angle brackets in attributes', () => {
    const value = `he said "it's <fine> & done" 'ok'`;
    const doc = parseXml('<cluster/>');
    const edited = { ...doc, root: withAttr(doc.root, 'name', value) };
    const back = parseXml(serializeXml(edited));
    expect(attr(back.root, 'name')).toBe(value);
    const written = `<cluster a='x"y' b="x'y" c="&lt;&gt;&amp;&quot;&apos;"/>`;
    const parsed = parseXml(written);
    expect(attr(parsed.root, 'a')).toBe('x"y');
    expect(attr(parsed.root, 'b')).toBe("x'y");
    expect(attr(parsed.root, 'c')).toBe(`<>&"'`);
    roundTrips(written);
  });

  test('numeric character references are decoded and written back as characters', () => {
    const doc = parseXml('<cluster name="&#65;&#x42;&#x1F600;" x="&#9;&#10;"/>');
    expect(attr(doc.root, 'name')).toBe('AB\u{1F600}');
    expect(attr(doc.root, 'x')).toBe('\t\n');
    roundTrips('<cluster name="&#65;&#x42;&#x1F600;" x="&#9;&#10;"/>');
  });

  test('CDATA keeps markup characters, and a CDATA end inside is split safely', () => {
    const text =
      '<cluster><script><![CDATA[if a < b && c > d then echo "]]]]><![CDATA[>"; fi]]></script></cluster>';
    const doc = parseXml(text);
    roundTrips(text);
    // XML cannot hold "]]>" in one CDATA section: it comes back as two with the same text.
    const edited = element('x', {}, [{ type: 'cdata', text: 'a ]]> b' }]);
    const back = parseXml(serializeXml({ ...doc, root: edited }));
    const texts = back.root.children.map((c) => (c.type === 'cdata' ? c.text : '?'));
    expect(texts.join('')).toBe('a ]]> b');
  });

  test('comments before, inside and after the root, between attributes of nothing', () => {
    const text =
      '<?xml version="1.0"?>\n<!-- before -->\n<cluster><!--first--><clusternodes><!-- inside --></clusternodes>' +
      '<!-- - dashes - --></cluster>\n<!-- after -->';
    const doc = parseXml(text);
    expect(doc.before).toEqual([{ type: 'comment', text: ' before ' }]);
    // Inside a start tag a comment is not XML at all.
    expect(refusal('<cluster <!-- c --> name="a"/>').code).toBe('CONFIG_NOT_XML');
    expect(doc.after).toEqual([{ type: 'comment', text: ' after ' }]);
    roundTrips(text);
  });

  test('unknown elements and attributes, namespaces and their order survive', () => {
    const text =
      '<cluster zeta="1" alpha="2" xmlns:q="urn:x"><q:extension q:level="3"><thing/></q:extension>' +
      '<clusternodes><clusternode name="n1" nodeid="1" colour="red"><gadget x="y"/></clusternode>' +
      '</clusternodes></cluster>';
    const doc = parseXml(text);
    expect(doc.root.attrs.map((a) => a.name)).toEqual(['zeta', 'alpha', 'xmlns:q']);
    expect(firstChild(doc.root, 'q:extension')).toBeDefined();
    roundTrips(text);
  });

  test('a byte order mark and a declaration with encoding', () => {
    const doc = parseXml('\uFEFF<?xml version="1.0" encoding="UTF-8"?><cluster name="a"/>');
    expect(attr(doc.root, 'name')).toBe('a');
    expect(doc.declaration).toContainEqual({ name: 'encoding', value: 'UTF-8' });
  });
});

const xmllint = '/usr/bin/xmllint';
const haveXmllint = existsSync(xmllint);
if (!haveXmllint && process.env.CI === 'true') {
  throw new Error(`CI=true but ${xmllint} is missing`);
}

describe(`serializeXml output is XML to xmllint${haveXmllint ? '' : ' (xmllint absent: skipped)'}`, () => {
  const tricky = [
    `<cluster name='q"uote' alias="it's &amp; &lt;b&gt;"/>`,
    '<cluster name="&#x1F600;&#9;tab&#10;line"><!-- c --><rm><![CDATA[ <x> ]]></rm></cluster>',
    '<cluster><x>a &lt; b &amp;&amp; c &gt; d</x><y><![CDATA[]]]]><![CDATA[>]]></y></cluster>',
  ];
  test.skipIf(!haveXmllint)('tricky documents pass xmllint --noout', () => {
    for (const text of tricky) {
      const written = serializeXml(parseXml(text));
      expect(() =>
        execFileSync(xmllint, ['--noout', '--nonet', '-'], { input: written, stdio: 'pipe' }),
      ).not.toThrow();
      const canonical = execFileSync(xmllint, ['--nonet', '-'], { input: written }).toString();
      expect(documentsEqual(parseXml(canonical), parseXml(written))).toBe(true);
    }
  });
});
