import type { ResourceConf } from '@quorate/core';
import { EmptyState } from '../ui/data-table.js';
import { ConfigList } from './config-list.js';
import type { EditorState } from './editor-state.js';
import { ServiceDialog } from './service-form.js';
import type { ConfigEditor } from './use-config-editor.js';

const count = (r: ResourceConf): number => r.children.reduce((n, c) => n + 1 + count(c), 0);
const nameOf = (s: ResourceConf) => s.params.name ?? '';

/** Services: their attributes and resource trees; editing one keeps its place in the file. */
export function ServicesTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  return (
    <ConfigList<ResourceConf>
      {...props}
      title="Services"
      add={{ label: 'Add service' }}
      testPrefix="service"
      table={{
        testId: 'services-config-table',
        rowTestId: 'service-config-row',
        rows: state.conf.rm?.services ?? [],
        nameOf,
        columns: [
          {
            header: 'Name',
            mono: true,
            cell: (s) => `${s.el.name === 'vm' ? 'vm:' : 'service:'}${nameOf(s)}`,
          },
          { header: 'Autostart', cell: (s) => (s.attrs.autostart === '0' ? 'no' : 'yes') },
          { header: 'Recovery', cell: (s) => s.attrs.recovery ?? 'restart' },
          { header: 'Domain', mono: true, cell: (s) => s.attrs.domain ?? '—' },
          { header: 'Resources', cell: count },
        ],
        empty: (
          <EmptyState testId="services-empty">
            No services yet — add resources, then a service that uses them.
          </EmptyState>
        ),
      }}
      form={(service, onClose) => (
        <ServiceDialog editor={editor} state={state} service={service} onClose={onClose} />
      )}
      deletion={(s) => ({
        edit: { op: 'deleteService', name: nameOf(s) },
        title: `Delete service ${nameOf(s)}`,
        question: (
          <p>
            Delete the service <span className="mono">{nameOf(s)}</span> from the configuration? A
            running service is stopped first.
          </p>
        ),
      })}
    />
  );
}
