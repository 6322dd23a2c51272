import { useState } from 'react';
import { useLive } from '../live/live-provider.js';
import { ClusterPageTitle } from '../ui/cluster-title.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { ChangeReview } from './change-review.js';
import { DomainsTab } from './domains-tab.js';
import { FenceDevicesTab } from './fence-devices-tab.js';
import { FileTab } from './file-tab.js';
import { HistoryTab } from './history-tab.js';
import { NodesTab } from './nodes-tab.js';
import { PropertiesTab } from './properties-tab.js';
import { ResourcesTab } from './resources-tab.js';
import { ServicesTab } from './services-tab.js';
import { useConfigEditor } from './use-config-editor.js';
import './config.css';

const tabs = [
  { id: 'properties', title: 'Properties', Tab: PropertiesTab },
  { id: 'nodes', title: 'Nodes', Tab: NodesTab },
  { id: 'fence', title: 'Fence devices', Tab: FenceDevicesTab },
  { id: 'domains', title: 'Failover domains', Tab: DomainsTab },
  { id: 'resources', title: 'Resources', Tab: ResourcesTab },
  { id: 'services', title: 'Services', Tab: ServicesTab },
  { id: 'file', title: 'cluster.conf', Tab: FileTab },
  { id: 'history', title: 'History', Tab: HistoryTab },
] as const;

type TabId = (typeof tabs)[number]['id'];

/** The cluster's configuration: nodes, fencing, domains, resources and services, edited by form. */
export default function ConfigPage(props: { params: { name: string } }) {
  const cluster = decodeURIComponent(props.params.name);
  const live = useLive();
  const editor = useConfigEditor(cluster, live.statuses[cluster]?.status?.cluster.configVersion);
  const [tab, setTab] = useState<TabId>('nodes');
  const current = tabs.find((t) => t.id === tab)!;
  return (
    <>
      <div className="page-head">
        <ClusterPageTitle cluster={cluster} page="Configuration" />
        {editor.state && (
          <span className="muted">
            cluster.conf version{' '}
            <span className="mono" data-test="config-version">
              {editor.state.view.version}
            </span>
          </span>
        )}
      </div>
      {editor.sent && (
        <Notice tone="ok" testId="config-outcome">
          Configuration version {editor.sent.version} sent to the cluster and committed
          {editor.sent.notes.length > 0 ? ` (${editor.sent.notes.join('; ')})` : ''}.
        </Notice>
      )}
      <ErrorNotice testId="config-load-error" message={editor.loadError} />
      {editor.state && !editor.state.view.canEdit && (
        <Notice tone="info" testId="config-read-only">
          You may view this configuration; changing it needs the "config" role.
        </Notice>
      )}
      <div className="tabs" role="tablist" aria-label="Configuration sections">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={t.id === tab}
            data-test={`config-tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.title}
          </button>
        ))}
      </div>
      {editor.state ? (
        <section role="tabpanel" aria-label={current.title}>
          {/* Keyed by version: a form starts again from each newly committed file. */}
          <current.Tab key={editor.state.view.version} editor={editor} state={editor.state} />
        </section>
      ) : (
        !editor.loadError && (
          <p className="muted" data-test="config-loading">
            Loading…
          </p>
        )
      )}
      <ChangeReview
        preview={editor.pending?.preview ?? null}
        sending={editor.sending}
        error={editor.sendError}
        onSend={() => void editor.send()}
        onCancel={editor.cancel}
      />
    </>
  );
}
