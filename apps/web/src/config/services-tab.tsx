import type { ResourceConf } from '@quorate/core';
import { useState } from 'react';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import type { EditorState } from './editor-state.js';
import { SectionHead } from './form-parts.js';
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
                    <td className="row-actions">
                      <button type="button" onClick={() => setEditing(s)} data-test="service-edit">
                        Edit
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => setDeleting(s.params.name ?? '')}
                        data-test="service-delete"
                      >
                        Delete
                      </button>
                    </td>
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
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete service ${deleting ?? ''}`}
        confirmLabel="Review deletion"
        testId="service-delete-dialog"
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          const refusal = await editor.save([{ op: 'deleteService', name: deleting ?? '' }]);
          if (refusal) throw new Error(refusal.message);
        }}
      >
        <p>
          Delete the service <span className="mono">{deleting}</span> from the configuration? A
          running service is stopped first.
        </p>
      </ConfirmDialog>
    </>
  );
}
