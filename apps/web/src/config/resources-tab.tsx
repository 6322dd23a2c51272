import { type ClusterConf, primaryAttribute, type ResourceConf } from '@quorate/core';
import { useState } from 'react';
import {
  type EditorState,
  errorAt,
  errorOfForm,
  filledParams,
  paramChanges,
} from './editor-state.js';
import { EditDialog, SectionHead, SelectField } from './form-parts.js';
import { FreeParams, ParamFields } from './param-fields.js';
import { DeleteConfirm, RowActions } from './row-actions.js';
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
  const [editing, setEditing] = useState<ResourceConf | 'new' | null>(null);
  const [deleting, setDeleting] = useState<{ type: string; primary: string } | null>(null);
  const canEdit = state.view.canEdit;
  const resources = state.conf.rm?.resources ?? [];
  const primaryOf = (r: ResourceConf) => r.params[primaryAttribute(r.type, state.catalog)] ?? '';
  return (
    <>
      <SectionHead
        title="Resources"
        addLabel="Add resource"
        addTestId="resource-add"
        onAdd={canEdit ? () => setEditing('new') : undefined}
      />
      {resources.length === 0 ? (
        <p className="empty" data-test="resources-empty">
          No global resources yet — add an IP address, a script or a file system, then use it in a
          service.
        </p>
      ) : (
        <div className="table-scroll">
          <table data-test="resources-table">
            <thead>
              <tr>
                <th>Type</th>
                <th>Name</th>
                <th>Parameters</th>
                <th>Used by</th>
                {canEdit && <th aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {resources.map((r) => (
                <tr
                  key={`${r.type}:${primaryOf(r)}`}
                  data-test="resource-row"
                  data-name={primaryOf(r)}
                >
                  <td className="mono">{r.type}</td>
                  <td className="mono">{primaryOf(r)}</td>
                  <td className="mono">
                    {Object.entries(r.params)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(' ')}
                  </td>
                  <td>{resourceUsers(state.conf, r.type, primaryOf(r)).join(', ') || '—'}</td>
                  {canEdit && (
                    <RowActions
                      testPrefix="resource"
                      onEdit={() => setEditing(r)}
                      onDelete={() => setDeleting({ type: r.type, primary: primaryOf(r) })}
                    />
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing !== null && (
        <ResourceDialog
          editor={editor}
          state={state}
          resource={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <DeleteConfirm
        editor={editor}
        edit={deleting === null ? null : { op: 'deleteResource', ...deleting }}
        title={`Delete resource ${deleting?.type ?? ''} ${deleting?.primary ?? ''}`}
        testId="resource-delete-dialog"
        onCancel={() => setDeleting(null)}
      >
        <p>
          Delete the resource <span className="mono">{deleting?.primary}</span>?
        </p>
      </DeleteConfirm>
    </>
  );
}
