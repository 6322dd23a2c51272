import { type ClusterConf, primaryAttribute, type ResourceConf } from '@quorate/core';
import { useState } from 'react';
import { EmptyState } from '../ui/data-table.js';
import { ConfigList } from './config-list.js';
import {
  type EditorState,
  errorAt,
  errorOfForm,
  filledParams,
  paramChanges,
} from './editor-state.js';
import { EditDialog, SelectField } from './form-parts.js';
import { FreeParams, ParamFields } from './param-fields.js';
import type { ConfigEditor } from './use-config-editor.js';
import { useFormSave } from './use-form-save.js';

/** Resource types a service tree can hold (not service roots), from the agents' meta-data. */
export function resourceTypes(state: EditorState): string[] {
  return [...state.catalog.values()]
    .filter((m) => !m.root)
    .map((m) => m.type)
    .sort();
}

/** Services whose trees `ref` this global resource. */
export function resourceUsers(conf: ClusterConf, type: string, primary: string): string[] {
  const users = new Set<string>();
  const walk = (service: string, node: ResourceConf) => {
    if (node.type === type && node.ref === primary) users.add(service);
    for (const child of node.children) walk(service, child);
  };
  for (const svc of conf.rm?.services ?? []) walk(svc.params.name ?? '', svc);
  return [...users];
}

/** A resource's parameters as a form of its agent's meta-data (free parameters without one). */
export function ResourceParams(props: {
  state: EditorState;
  type: string;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  errorFor: (name: string) => string | undefined;
  testPrefix: string;
}) {
  const meta = props.state.catalog.get(props.type);
  return meta ? (
    <ParamFields
      parameters={meta.parameters}
      values={props.values}
      onChange={props.onChange}
      errorFor={props.errorFor}
      testPrefix={props.testPrefix}
    />
  ) : (
    <FreeParams
      values={props.values}
      onChange={props.onChange}
      testId={`${props.testPrefix}free`}
      error={undefined}
    />
  );
}

function ResourceDialog(props: {
  editor: ConfigEditor;
  state: EditorState;
  resource: ResourceConf | null;
  onClose: () => void;
}) {
  const { resource, state } = props;
  const types = resourceTypes(state);
  const [type, setType] = useState(
    resource?.type ?? (types.includes('ip') ? 'ip' : (types[0] ?? '')),
  );
  const initial = { ...(resource?.params ?? {}) };
  const [values, setValues] = useState<Record<string, string>>(initial);
  const { error, busy, submit } = useFormSave(props.editor, props.onClose);
  const key = primaryAttribute(type, state.catalog);
  const save = () =>
    submit(
      resource
        ? [
            {
              op: 'updateResource',
              type,
              primary: resource.params[key] ?? '',
              params: paramChanges(initial, values),
            },
          ]
        : [{ op: 'addResource', type, params: filledParams(values) }],
    );
  const names = state.catalog.get(type)?.parameters.map((p) => p.name) ?? Object.keys(values);
  const meta = state.catalog.get(type);
  return (
    <EditDialog
      title={resource ? `Resource ${type} ${resource.params[key] ?? ''}` : 'Add a global resource'}
      open
      testId="resource-form"
      busy={busy}
      generalError={errorOfForm(error, names)}
      onClose={props.onClose}
      onSave={() => void save()}
    >
      <SelectField
        label="Type"
        testId="resource-type"
        value={type}
        disabled={resource !== null}
        options={types.map((t) => ({
          value: t,
          label: `${t} — ${state.catalog.get(t)?.shortDescription ?? ''}`,
        }))}
        onChange={(t) => {
          setType(t);
          setValues({});
        }}
        help={meta?.longDescription.split('\n')[0]}
      />
      <ResourceParams
        state={state}
        type={type}
        values={values}
        onChange={setValues}
        errorFor={(name) => errorAt(error, name)}
        testPrefix="resource-param-"
      />
    </EditDialog>
  );
}

/** Global resources (`<rm><resources>`), which services use by reference. */
export function ResourcesTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  const primaryOf = (r: ResourceConf) => r.params[primaryAttribute(r.type, state.catalog)] ?? '';
  return (
    <ConfigList<ResourceConf>
      {...props}
      title="Resources"
      add={{ label: 'Add resource' }}
      testPrefix="resource"
      table={{
        testId: 'resources-table',
        rowTestId: 'resource-row',
        rows: state.conf.rm?.resources ?? [],
        nameOf: primaryOf,
        keyOf: (r) => `${r.type}:${primaryOf(r)}`,
        columns: [
          { header: 'Type', mono: true, cell: (r) => r.type },
          { header: 'Name', mono: true, cell: primaryOf },
          {
            header: 'Parameters',
            mono: true,
            cell: (r) =>
              Object.entries(r.params)
                .map(([k, v]) => `${k}=${v}`)
                .join(' '),
          },
          {
            header: 'Used by',
            cell: (r) => resourceUsers(state.conf, r.type, primaryOf(r)).join(', ') || '—',
          },
        ],
        empty: (
          <EmptyState testId="resources-empty">
            No global resources yet — add an IP address, a script or a file system, then use it in a
            service.
          </EmptyState>
        ),
      }}
      form={(resource, onClose) => (
        <ResourceDialog editor={editor} state={state} resource={resource} onClose={onClose} />
      )}
      deletion={(r) => ({
        edit: { op: 'deleteResource', type: r.type, primary: primaryOf(r) },
        title: `Delete resource ${r.type} ${primaryOf(r)}`,
        question: (
          <p>
            Delete the resource <span className="mono">{primaryOf(r)}</span>?
          </p>
        ),
      })}
    />
  );
}
