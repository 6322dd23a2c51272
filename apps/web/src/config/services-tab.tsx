import type { ResourceConf } from '@quorate/core';
import { useState } from 'react';
import type { EditorState } from './editor-state.js';
import { SectionHead } from './form-parts.js';
import { DeleteConfirm, RowActions } from './row-actions.js';
import { ServiceDialog } from './service-form.js';
import type { ConfigEditor } from './use-config-editor.js';

/** Services: their attributes and resource trees; editing one keeps its place in the file. */
export function ServicesTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  const [editing, setEditing] = useState<ResourceConf | 'new' | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const canEdit = state.view.canEdit;
  const services = state.conf.rm?.services ?? [];
  const count = (r: ResourceConf): number => r.children.reduce((n, c) => n + 1 + count(c), 0);
  return (
    <>
      <SectionHead
        title="Services"
        addLabel="Add service"
        addTestId="service-add"
        onAdd={canEdit ? () => setEditing('new') : undefined}
      />
      {services.length === 0 ? (
        <p className="empty" data-test="services-empty">
          No services yet — add resources, then a service that uses them.
        </p>
      ) : (
        <div className="table-scroll">
          <table data-test="services-config-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Autostart</th>
                <th>Recovery</th>
                <th>Domain</th>
                <th>Resources</th>
                {canEdit && <th aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <tr key={s.params.name} data-test="service-config-row" data-name={s.params.name}>
                  <td className="mono">
                    {s.el.name === 'vm' ? 'vm:' : 'service:'}
                    {s.params.name}
                  </td>
                  <td>{s.attrs.autostart === '0' ? 'no' : 'yes'}</td>
                  <td>{s.attrs.recovery ?? 'restart'}</td>
                  <td className="mono">{s.attrs.domain ?? '—'}</td>
                  <td>{count(s)}</td>
                  {canEdit && (
                    <RowActions
                      testPrefix="service"
                      onEdit={() => setEditing(s)}
                      onDelete={() => setDeleting(s.params.name ?? '')}
                    />
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing !== null && (
        <ServiceDialog
          editor={editor}
          state={state}
          service={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <DeleteConfirm
        editor={editor}
        edit={deleting === null ? null : { op: 'deleteService', name: deleting }}
        title={`Delete service ${deleting ?? ''}`}
        testId="service-delete-dialog"
        onCancel={() => setDeleting(null)}
      >
        <p>
          Delete the service <span className="mono">{deleting}</span> from the configuration? A
          running service is stopped first.
        </p>
      </DeleteConfirm>
    </>
  );
}
