import type { MemberStatus, ServiceStatus } from '@quorate/protocol';
import { useScrollWindow } from '../timeline/virtual-list.js';
import { useFlash } from '../ui/use-flash.js';
import { ServiceActions } from './service-actions.js';
import { ServiceState } from './service-state.js';

type Run = Parameters<typeof ServiceActions>[0]['onRun'];

/** Past this many services the table renders only the rows in view (UI.md, DESIGN.md §7). */
const virtualFrom = 200;
const rowHeightPx = 44;
const viewportPx = 660;

function ServiceRow(props: {
  cluster: string;
  service: ServiceStatus;
  members: readonly MemberStatus[];
  canAct: boolean;
  pending: boolean;
  onRun: Run;
}) {
  const { service } = props;
  const flash = useFlash(`${service.state}|${service.owner}|${service.frozen}|${service.restarts}`);
  return (
    <tr data-test="service-row" data-changed={flash || undefined} aria-busy={props.pending}>
      <td className="mono" data-test="service-name">
        {service.id}
      </td>
      <td>
        <ServiceState state={service.state} />
        {props.pending && (
          <span className="badge" data-test="service-pending">
            pending
          </span>
        )}
      </td>
      <td className="mono" data-test="service-owner">
        {service.owner ?? '(none)'}
      </td>
      <td className="mono" data-test="service-last-owner">
        {service.lastOwner ?? '(none)'}
      </td>
      <td data-test="service-restarts">{service.restarts}</td>
      <td data-test="service-flags">
        {service.frozen && <span className="badge">frozen</span>}
        {service.partial && <span className="badge">partial</span>}
      </td>
      {props.canAct && (
        <td className="row-actions">
          <ServiceActions
            cluster={props.cluster}
            service={service}
            members={props.members}
            onRun={props.onRun}
          />
        </td>
      )}
    </tr>
  );
}

/** clustat's service list: name, state, owner, last owner, restarts, flags; then the actions. */
export function ServicesTable(props: {
  cluster: string;
  services: readonly ServiceStatus[];
  members: readonly MemberStatus[];
  canAct: boolean;
  pending: ReadonlySet<string>;
  onRun: Run;
}) {
  const count = props.services.length;
  const virtual = count > virtualFrom;
  const rows = useScrollWindow(virtual ? count : 0, rowHeightPx, viewportPx);
  const [first, end] = virtual ? [rows.first, rows.end] : [0, count];
  if (props.services.length === 0) {
    return (
      <p className="empty" data-test="services-empty">
        No services yet — define one in cluster.conf; the cluster starts it on a member.
      </p>
    );
  }
  return (
    <div
      className="table-scroll"
      ref={rows.viewportRef}
      onScroll={virtual ? rows.onScroll : undefined}
      style={virtual ? { maxHeight: viewportPx, overflowY: 'auto' } : undefined}
    >
      <table data-test="services-table" data-count={count}>
        <thead>
          <tr>
            <th>Service</th>
            <th>State</th>
            <th>Owner</th>
            <th>Last owner</th>
            <th>Restarts</th>
            <th>Flags</th>
            {props.canAct && (
              <th>
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr className="spacer-row" style={{ height: first * rowHeightPx }} />}
          {props.services.slice(first, end).map((service) => (
            <ServiceRow
              key={service.id}
              cluster={props.cluster}
              service={service}
              members={props.members}
              canAct={props.canAct}
              pending={props.pending.has(service.id)}
              onRun={props.onRun}
            />
          ))}
          {end < count && (
            <tr className="spacer-row" style={{ height: (count - end) * rowHeightPx }} />
          )}
        </tbody>
      </table>
    </div>
  );
}
