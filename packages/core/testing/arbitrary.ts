// fast-check generators for cluster.conf: random *valid* configurations (every reference
// resolves, names and ids are unique) with unknown elements, attributes and comments mixed in,
// and seeds for random edits that `editFromSeed` turns into a ConfigEdit for a given config.
import fc from 'fast-check';
import type { XmlAttr, XmlDocument, XmlElement, XmlNode } from '../src/xml/xml-tree.js';
import { element } from '../src/xml/xml-tree.js';

/** Characters that stress escaping: quotes, `&`, `<`, `>`, whitespace and non-ASCII. */
const trickyChars = [
  ...'abcxyz019 .:/=-_',
  '"',
  "'",
  '&',
  '<',
  '>',
  '\t',
  '\n',
  'é',
  'ß',
  'Ω',
  '日',
  '本',
  '😀',
  '&amp;',
  ']]>',
];

export const arbTrickyValue = fc.string({ unit: fc.constantFrom(...trickyChars), maxLength: 10 });

const identChars = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const arbIdent = fc.string({ unit: fc.constantFrom(...identChars), minLength: 1, maxLength: 6 });

/** Comment text: XML forbids `--` and a trailing `-`, so neither is generated. */
const arbCommentText = fc
  .string({ unit: fc.constantFrom(...'abc xyz<>&"\'日😀.'), maxLength: 16 })
  .map((s) => ` ${s} `);

const arbComment: fc.Arbitrary<XmlNode> = arbCommentText.map((text) => ({ type: 'comment', text }));

/** Unknown attributes use an `x-` prefix so they never collide with a known one. */
const arbUnknownAttrs: fc.Arbitrary<XmlAttr[]> = fc
  .uniqueArray(fc.tuple(arbIdent, arbTrickyValue), { maxLength: 2, selector: ([n]) => n })
  .map((pairs) => pairs.map(([n, value]) => ({ name: `x-${n}`, value })));

/** An element nobody knows about, possibly with (non-blank) text in it. */
const arbUnknownElement: fc.Arbitrary<XmlNode> = fc
  .tuple(arbIdent, arbUnknownAttrs, fc.option(arbTrickyValue, { nil: undefined }))
  .map(([name, attrs, text]) =>
    element(
      `x-${name}`,
      attrs,
      text !== undefined && text.trim() !== '' ? [{ type: 'text', text }] : [],
    ),
  );

/** Comments and unknown elements, each with where it goes among its siblings. */
const arbExtras = fc.array(fc.tuple(fc.nat(), fc.oneof(arbComment, arbUnknownElement)), {
  maxLength: 2,
});

function interleave(children: XmlNode[], extras: Array<[number, XmlNode]>): XmlNode[] {
  const out = [...children];
  for (const [at, node] of extras) out.splice(at % (out.length + 1), 0, node);
  return out;
}

interface Shape {
  readonly kind: 'ref' | 'script' | 'fs' | 'ip';
  readonly children: readonly Shape[];
}

const arbKind = fc.constantFrom<Shape['kind']>('ref', 'ref', 'script', 'fs', 'ip');
const shapeOver = (below: fc.Arbitrary<Shape>) =>
  fc.record({ kind: arbKind, children: fc.array(below, { maxLength: 2 }) });
/** Service trees three levels deep at most, as real ones are. */
const arbShape: fc.Arbitrary<Shape> = shapeOver(
  shapeOver(fc.record({ kind: arbKind, children: fc.constant([]) })),
);

/** Everything random about one configuration; `buildDocument` makes the tree. */
export interface ConfigSpec {
  readonly name: string;
  readonly version: number;
  readonly nodes: ReadonlyArray<{
    readonly name: string;
    readonly nodeid: number;
    readonly votes: number | undefined;
    readonly altname: boolean;
    readonly methods: ReadonlyArray<ReadonlyArray<[device: number, port: string]>>;
  }>;
  readonly devices: ReadonlyArray<{ readonly name: string; readonly passwd: string }>;
  readonly domains: ReadonlyArray<{
    readonly name: string;
    readonly ordered: boolean;
    readonly members: ReadonlyArray<[node: number, priority: number]>;
  }>;
  readonly globals: ReadonlyArray<'ip' | 'script' | 'fs'>;
  readonly services: ReadonlyArray<{
    readonly name: string;
    readonly domain: number | undefined;
    readonly tree: readonly Shape[];
  }>;
  /** One list of extras per place that takes them (see `buildDocument`). */
  readonly extras: ReadonlyArray<Array<[number, XmlNode]>>;
  readonly unknownAttrs: ReadonlyArray<XmlAttr[]>;
  readonly commentsAround: readonly [XmlNode[], XmlNode[]];
}

const arbNodes = fc
  .uniqueArray(arbIdent, { maxLength: 5 })
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.uniqueArray(fc.integer({ min: 1, max: 64 }), {
        minLength: names.length,
        maxLength: names.length,
      }),
      fc.array(
        fc.tuple(
          fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
          fc.boolean(),
          fc.array(fc.array(fc.tuple(fc.nat(), arbTrickyValue), { maxLength: 2 }), {
            maxLength: 2,
          }),
        ),
        { minLength: names.length, maxLength: names.length },
      ),
    ),
  )
  .map(([names, ids, rest]) =>
    names.map((n, i) => ({
      name: `node-${n}`,
      nodeid: ids[i]!,
      votes: rest[i]![0],
      altname: rest[i]![1],
      methods: rest[i]![2],
    })),
  );

export const arbConfigSpec: fc.Arbitrary<ConfigSpec> = fc.record({
  name: arbIdent,
  version: fc.integer({ min: 1, max: 1_000_000 }),
  nodes: arbNodes,
  devices: fc
    .uniqueArray(arbIdent, { minLength: 1, maxLength: 3 })
    .chain((names) =>
      fc.tuple(...names.map((n) => arbTrickyValue.map((passwd) => ({ name: `fd-${n}`, passwd })))),
    ),
  domains: fc.uniqueArray(
    fc.record({
      name: arbIdent.map((n) => `dom-${n}`),
      ordered: fc.boolean(),
      members: fc.uniqueArray(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 100 })), {
        maxLength: 3,
        selector: ([n]) => n,
      }),
    }),
    { maxLength: 2, selector: (d) => d.name },
  ),
  globals: fc.array(fc.constantFrom('ip', 'script', 'fs'), { maxLength: 4 }),
  services: fc.uniqueArray(
    fc.record({
      name: arbIdent.map((n) => `svc-${n}`),
      domain: fc.option(fc.nat(), { nil: undefined }),
      tree: fc.array(arbShape, { maxLength: 3 }),
    }),
    { maxLength: 3, selector: (s) => s.name },
  ),
  extras: fc.array(arbExtras, { minLength: 6, maxLength: 6 }),
  unknownAttrs: fc.array(arbUnknownAttrs, { minLength: 3, maxLength: 3 }),
  commentsAround: fc.tuple(
    fc.array(arbComment, { maxLength: 1 }),
    fc.array(arbComment, { maxLength: 1 }),
  ),
});

const onlyComments = (extras: Array<[number, XmlNode]>) =>
  extras.filter(([, n]) => n.type === 'comment');

function globalResource(kind: 'ip' | 'script' | 'fs', i: number): XmlElement {
  if (kind === 'ip') return element('ip', { address: `10.9.${i}.1/24`, monitor_link: '1' });
  if (kind === 'script')
    return element('script', { name: `gscript${i}`, file: `/etc/init.d/g${i}` });
  return element('fs', {
    name: `gfs${i}`,
    device: `/dev/gd${i}`,
    mountpoint: `/mnt/g${i}`,
    fstype: 'ext4',
  });
}

function inlineResource(kind: 'ip' | 'script' | 'fs', n: number, children: XmlNode[]): XmlElement {
  if (kind === 'ip') return element('ip', { address: `10.8.${n}.1` }, children);
  if (kind === 'script')
    return element('script', { name: `s${n}`, file: `/etc/init.d/s${n}` }, children);
  const attrs = { name: `f${n}`, device: `/dev/f${n}`, mountpoint: `/mnt/f${n}`, fstype: 'xfs' };
  return element('fs', attrs, children);
}

/** The primary attribute value of a global resource built by `globalResource`. */
const primaryOf = (el: XmlElement) =>
  el.attrs.find((a) => a.name === 'address' || a.name === 'name')!.value;

function buildDevices(spec: ConfigSpec): XmlElement[] {
  return spec.devices.map((d, i) =>
    element('fencedevice', [
      { name: 'name', value: d.name },
      { name: 'agent', value: 'fence_ipmilan' },
      { name: 'ipaddr', value: `10.0.0.${i + 1}` },
      { name: 'passwd', value: d.passwd },
      ...(i === 0 ? spec.unknownAttrs[2]! : []),
    ]),
  );
}

function buildNodes(spec: ConfigSpec): XmlElement[] {
  return spec.nodes.map((n, i) => {
    const methods = n.methods.map((uses, m) => {
      const devices = uses.map(([d, port]) =>
        element('device', { name: spec.devices[d % spec.devices.length]!.name, port }),
      );
      return element('method', { name: `m${m}` }, devices);
    });
    const children: XmlNode[] = [
      ...(n.altname ? [element('altname', { name: `${n.name}-ring1` })] : []),
      ...(methods.length ? [element('fence', [], methods)] : []),
    ];
    const attrs: XmlAttr[] = [
      { name: 'name', value: n.name },
      { name: 'nodeid', value: String(n.nodeid) },
      ...(n.votes === undefined ? [] : [{ name: 'votes', value: String(n.votes) }]),
      ...(i === 0 ? spec.unknownAttrs[1]! : []),
    ];
    return element(
      'clusternode',
      attrs,
      i === 0 ? interleave(children, spec.extras[2]!) : children,
    );
  });
}

function buildDomains(spec: ConfigSpec): XmlElement[] {
  const nodeName = (n: number) => spec.nodes[n % spec.nodes.length]!.name;
  return spec.domains.map((d) => {
    const seen = new Set<string>();
    const members = d.members.flatMap(([n, priority]) => {
      if (spec.nodes.length === 0 || seen.has(nodeName(n))) return [];
      seen.add(nodeName(n));
      const attrs: Record<string, string> = { name: nodeName(n) };
      if (d.ordered) attrs.priority = String(priority);
      return [element('failoverdomainnode', attrs)];
    });
    return element('failoverdomain', { name: d.name, ordered: d.ordered ? '1' : '0' }, members);
  });
}

/** `<rm>`: each global resource is referenced at most once, the rest of the trees are inline. */
function buildRm(spec: ConfigSpec, domains: XmlElement[]): XmlElement {
  const globals = spec.globals.map((kind, i) => globalResource(kind, i));
  let unused = 0;
  let inline = 0;
  const tree = (shape: Shape): XmlElement => {
    const children = shape.children.map(tree);
    if (shape.kind === 'ref' && unused < globals.length) {
      const g = globals[unused++]!;
      return element(g.name, { ref: primaryOf(g) }, children);
    }
    return inlineResource(shape.kind === 'ref' ? 'script' : shape.kind, inline++, children);
  };
  const services = spec.services.map((s, i) => {
    const domain =
      s.domain !== undefined ? domains[s.domain % Math.max(1, domains.length)] : undefined;
    const attrs: Record<string, string> = { name: s.name, recovery: 'relocate' };
    if (domain) attrs.domain = primaryOf(domain);
    const children = s.tree.map(tree);
    // Unknown elements inside <rm> would be read as resources, so only comments go there.
    return element(
      'service',
      attrs,
      i === 0 ? interleave(children, onlyComments(spec.extras[5]!)) : children,
    );
  });
  const sections = [element('failoverdomains', [], domains), element('resources', [], globals)];
  return element('rm', [], interleave([...sections, ...services], onlyComments(spec.extras[4]!)));
}

/** Builds the document a spec describes; every reference in it resolves. */
export function buildDocument(spec: ConfigSpec): XmlDocument {
  const [rootExtras, nodesExtras, , devicesExtras] = spec.extras;
  const root = element(
    'cluster',
    [
      { name: 'name', value: spec.name },
      { name: 'config_version', value: String(spec.version) },
      ...spec.unknownAttrs[0]!,
    ],
    interleave(
      [
        element('clusternodes', [], interleave(buildNodes(spec), nodesExtras!)),
        element('fencedevices', [], interleave(buildDevices(spec), devicesExtras!)),
        buildRm(spec, buildDomains(spec)),
      ],
      rootExtras!,
    ),
  );
  return {
    declaration: [{ name: 'version', value: '1.0' }],
    before: spec.commentsAround[0] as XmlDocument['before'],
    root,
    after: spec.commentsAround[1] as XmlDocument['after'],
  };
}

export const arbClusterDocument: fc.Arbitrary<XmlDocument> = arbConfigSpec.map(buildDocument);

/** How a document may be written by another tool: quotes, references and layout vary. */
export interface TextStyle {
  readonly quote: '"' | "'";
  readonly numericRefs: boolean;
  readonly separator: '' | '\n' | '\n\t\t' | ' ';
}

export const arbTextStyle: fc.Arbitrary<TextStyle> = fc.record({
  quote: fc.constantFrom('"', "'"),
  numericRefs: fc.boolean(),
  separator: fc.constantFrom('', '\n', '\n\t\t', ' '),
});

function escapeWith(value: string, style: TextStyle, quoted: boolean): string {
  const ref = (c: string, named: string) => (style.numericRefs ? `&#${c.codePointAt(0)};` : named);
  let out = value.replace(/&/g, ref('&', '&amp;')).replace(/</g, ref('<', '&lt;'));
  if (quoted) {
    out = out
      .replace(
        style.quote === '"' ? /"/g : /'/g,
        style.quote === '"' ? ref('"', '&quot;') : ref("'", '&apos;'),
      )
      .replace(/\t/g, '&#9;')
      .replace(/\n/g, '&#10;');
  }
  return out.replace(/>/g, ref('>', '&gt;'));
}

/** Writes a document in another tool's style, for parse(serialize(parse(x))) = parse(x). */
export function renderInStyle(doc: XmlDocument, style: TextStyle): string {
  const q = style.quote;
  const node = (n: XmlNode): string => {
    if (n.type === 'comment') return `<!--${n.text}-->`;
    if (n.type === 'text') return escapeWith(n.text, style, false);
    if (n.type === 'cdata') return `<![CDATA[${n.text}]]>`;
    const attrs = n.attrs
      .map((a) => ` ${a.name}=${q}${escapeWith(a.value, style, true)}${q}`)
      .join('');
    if (n.children.length === 0) return `<${n.name}${attrs}/>`;
    const mixed = n.children.some((c) => c.type === 'text' || c.type === 'cdata');
    const sep = mixed ? '' : style.separator;
    return `<${n.name}${attrs}>${sep}${n.children.map(node).join(sep)}${sep}</${n.name}>`;
  };
  const decl = `<?xml${doc.declaration.map((a) => ` ${a.name}=${q}${a.value}${q}`).join('')}?>`;
  return [decl, ...doc.before.map(node), node(doc.root), ...doc.after.map(node)].join('\n');
}

/**
 * fc.assert with a replay hint: FC_SEED and FC_PATH (printed on failure) rerun exactly the
 * failing case, e.g. `FC_SEED=42 FC_PATH="3:1" pnpm exec vitest run <file>`.
 */
export function assertProperty<T>(property: fc.IProperty<T>, params: fc.Parameters<T> = {}): void {
  const seed = process.env.FC_SEED;
  const path = process.env.FC_PATH;
  const replay = seed === undefined ? {} : { seed: Number(seed), ...(path ? { path } : {}) };
  const details = fc.check(property, { ...params, ...replay });
  if (!details.failed) return;
  const hint = `FC_SEED=${details.seed} FC_PATH="${details.counterexamplePath}"`;
  throw new Error(
    `${fc.defaultReportMessage(details)}\nreplay just this case: ${hint} pnpm exec vitest run <this file> -t "<this test>"`,
  );
}
