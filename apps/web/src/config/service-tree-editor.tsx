import { primaryAttribute, type ResourceConf } from '@quorate/core';
import type { ConfigTreeSpec } from '@quorate/protocol';
import { useState } from 'react';
import type { EditorState } from './editor-state.js';
import { newKey } from './fence-levels-editor.js';
import { ResourceParams, resourceTypes } from './resources-tab.js';

/** A resource in the tree editor: a reference to a global resource, or one defined inline. */
export interface TreeItem {
  readonly key: number;
  readonly type: string;
  readonly ref?: string;
  readonly params: Record<string, string>;
  readonly children: readonly TreeItem[];
}

export function treeOf(children: readonly ResourceConf[]): TreeItem[] {
  return children.map((c) => ({
    key: newKey(),
    type: c.type,
    ...(c.ref === undefined ? {} : { ref: c.ref }),
    // Internals (`__independent_subtree`, …) ride along with an inline resource's parameters.
    params: c.ref === undefined ? { ...c.params, ...c.internals } : {},
    children: treeOf(c.children),
  }));
}

/** The tree as the setServiceTree edit takes it. */
export function specOf(items: readonly TreeItem[]): ConfigTreeSpec[] {
  return items.map((i) =>
    i.ref !== undefined
      ? { type: i.type, ref: i.ref }
      : {
          type: i.type,
          params: Object.fromEntries(Object.entries(i.params).filter(([, v]) => v !== '')),
          children: specOf(i.children),
        },
  );
}

type Path = readonly number[];

function updateAt(
  items: readonly TreeItem[],
  path: Path,
  change: (list: TreeItem[]) => TreeItem[],
): TreeItem[] {
  if (path.length === 0) return change([...items]);
  const [head, ...rest] = path;
  return items.map((item, i) =>
    i === head ? { ...item, children: updateAt(item.children, rest, change) } : item,
  );
}

function label(state: EditorState, item: TreeItem): string {
  if (item.ref !== undefined) return `${item.type} ${item.ref} (global)`;
  return `${item.type} ${item.params[primaryAttribute(item.type, state.catalog)] ?? ''} (inline)`;
}

/** Every place a resource can be added: the service itself and each inline resource. */
function parents(
  state: EditorState,
  items: readonly TreeItem[],
  at: Path = [],
  depth = 1,
): { path: Path; label: string }[] {
  return items.flatMap((item, i) =>
    item.ref !== undefined
      ? []
      : [
          { path: [...at, i], label: `${'  '.repeat(depth)}${label(state, item)}` },
          ...parents(state, item.children, [...at, i], depth + 1),
        ],
  );
}

function TreeLevel(props: {
  state: EditorState;
  items: readonly TreeItem[];
  path: Path;
  onChange: (change: (items: readonly TreeItem[]) => TreeItem[]) => void;
}) {
  const { items, path, onChange } = props;
  const at = (change: (list: TreeItem[]) => TreeItem[]) =>
    onChange((all) => updateAt(all, path, change));
  const swap = (i: number, j: number) =>
    at((list) => {
      const out = [...list];
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    });
  return (
    <ul className="tree">
      {items.map((item, i) => (
        <li key={item.key} data-test="tree-item">
          <div className="tree-row">
            <span className="mono" data-test="tree-item-label">
              {label(props.state, item)}
            </span>
            <button
              type="button"
              disabled={i === 0}
              onClick={() => swap(i, i - 1)}
              data-test="tree-item-up"
            >
              Up
            </button>
            <button
              type="button"
              disabled={i === items.length - 1}
              onClick={() => swap(i, i + 1)}
              data-test="tree-item-down"
            >
              Down
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => at((list) => list.filter((_, j) => j !== i))}
              data-test="tree-item-remove"
            >
              Remove
            </button>
          </div>
          {item.children.length > 0 && (
            <TreeLevel
              state={props.state}
              items={item.children}
              path={[...path, i]}
              onChange={onChange}
            />
          )}
        </li>
      ))}
    </ul>
  );
}

/** Adds a global resource by reference, or a new inline one, under a chosen parent. */
function AddResource(props: {
  state: EditorState;
  items: readonly TreeItem[];
  onAdd: (parent: Path, item: TreeItem) => void;
}) {
  const { state } = props;
  const globals = state.conf.rm?.resources ?? [];
  const primaryOf = (r: ResourceConf) => r.params[primaryAttribute(r.type, state.catalog)] ?? '';
  const places = [
    { path: [] as Path, label: 'the service itself' },
    ...parents(state, props.items),
  ];
  const [parent, setParent] = useState(0);
  const [global, setGlobal] = useState(0);
  const types = resourceTypes(state);
  const [inlineType, setInlineType] = useState(
    types.includes('script') ? 'script' : (types[0] ?? ''),
  );
  const [inline, setInline] = useState<Record<string, string> | null>(null);
  const target = places[Math.min(parent, places.length - 1)]!.path;
  const chosen = globals[global];
  return (
    <fieldset className="tree-add" data-test="tree-add">
      <legend>Add a resource</legend>
      <label>
        Under{' '}
        <select
          data-test="tree-add-parent"
          value={parent}
          onChange={(e) => setParent(Number(e.target.value))}
        >
          {places.map((p, i) => (
            <option key={p.path.join('.')} value={i}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <div className="tree-add-row">
        <label>
          Global resource{' '}
          <select
            data-test="tree-add-ref"
            value={global}
            onChange={(e) => setGlobal(Number(e.target.value))}
          >
            {globals.map((r, i) => (
              <option key={`${r.type}:${primaryOf(r)}`} value={i}>
                {r.type} {primaryOf(r)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!chosen}
          data-test="tree-add-ref-button"
          onClick={() =>
            chosen &&
            props.onAdd(target, {
              key: newKey(),
              type: chosen.type,
              ref: primaryOf(chosen),
              params: {},
              children: [],
            })
          }
        >
          Add reference
        </button>
      </div>
      <div className="tree-add-row">
        <label>
          New inline resource of type{' '}
          <select
            data-test="tree-add-inline-type"
            value={inlineType}
            onChange={(e) => setInlineType(e.target.value)}
          >
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-test="tree-add-inline-button" onClick={() => setInline({})}>
          Define…
        </button>
      </div>
      {inline && (
        <div className="tree-inline" data-test="tree-inline-form">
          <ResourceParams
            state={state}
            type={inlineType}
            values={inline}
            onChange={setInline}
            errorFor={() => undefined}
            testPrefix="tree-param-"
          />
          <button
            type="button"
            data-test="tree-inline-add"
            onClick={() => {
              props.onAdd(target, {
                key: newKey(),
                type: inlineType,
                params: inline,
                children: [],
              });
              setInline(null);
            }}
          >
            Add to tree
          </button>
        </div>
      )}
    </fieldset>
  );
}

/** The service's resource tree: nested resources, global references or inline definitions. */
export function ServiceTreeEditor(props: {
  state: EditorState;
  items: readonly TreeItem[];
  onChange: (items: TreeItem[]) => void;
}) {
  const change = (f: (items: readonly TreeItem[]) => TreeItem[]) => props.onChange(f(props.items));
  return (
    <div className="service-tree" data-test="service-tree">
      {props.items.length === 0 ? (
        <p className="empty">
          No resources yet: the service starts nothing. Add an IP address and a script.
        </p>
      ) : (
        <TreeLevel state={props.state} items={props.items} path={[]} onChange={change} />
      )}
      <AddResource
        state={props.state}
        items={props.items}
        onAdd={(parent, item) =>
          change((items) => updateAt(items, parent, (list) => [...list, item]))
        }
      />
    </div>
  );
}
