import type { MemberStatus, ServiceStatus } from '@quorate/protocol';
import { useFlash } from '../ui/use-flash.js';
import { ServiceActions } from './service-actions.js';
import { ServiceState } from './service-state.js';

type Run = Parameters<typeof ServiceActions>[0]['onRun'];

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
  if (props.services.length === 0) {
    return (
      <p className="empty" data-test="services-empty">
        No services yet — define one in cluster.conf; the cluster starts it on a member.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table data-test="services-table">
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
          {props.services.map((service) => (
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
        </tbody>
      </table>
    </div>
  );
}
