import type { MemberStatus, ServiceAction, ServiceStatus } from '@quorate/protocol';
import { useState } from 'react';
import { serviceAction } from '../clusters/cluster-actions.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

/** What each action is called on its button and what its confirmation says it does. */
const actionText: Record<ServiceAction, { label: string; does: string }> = {
  relocate: { label: 'Relocate', does: 'stops it and starts it on another member' },
  restart: { label: 'Restart', does: 'stops it and starts it again where it runs' },
  disable: { label: 'Disable', does: 'stops it; it stays stopped until enabled' },
  enable: { label: 'Enable', does: 'starts it' },
  freeze: { label: 'Freeze', does: 'stops its status checks, failover and moves' },
  unfreeze: { label: 'Unfreeze', does: 'resumes its status checks and failover' },
  stop: { label: 'Stop', does: 'stops it until the next membership change' },
  migrate: { label: 'Migrate', does: 'moves it live to another member' },
  convalesce: { label: 'Convalesce', does: 'starts its failed non-critical parts again' },
};

/** The actions that fit a service in its state (clusvcadm refuses the others anyway). */
function actionsFor(service: ServiceStatus): ServiceAction[] {
  if (service.frozen) return ['unfreeze'];
  const running = ['started', 'starting', 'recovering'].includes(service.state);
  const actions: ServiceAction[] = running ? ['restart', 'disable'] : ['enable', 'disable'];
  if (service.partial) actions.push('convalesce');
  actions.push('freeze');
  return actions;
}

interface Pending {
  readonly action: ServiceAction;
  readonly node: string | undefined;
}

/**
 * One service row's actions: relocate (or enable) to a chosen member, and the others that fit
 * its state. Each asks first, naming the service; the outcome goes to the page's notice.
 */
export function ServiceActions(props: {
  cluster: string;
  service: ServiceStatus;
  members: readonly MemberStatus[];
  onRun: (service: string, run: () => ReturnType<typeof serviceAction>) => Promise<void>;
}) {
  const { cluster, service } = props;
  const [target, setTarget] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const node = target === '' ? undefined : target;
  const placeAction: ServiceAction = service.owner === null ? 'enable' : 'relocate';
  const targets = props.members.filter((m) => m.name !== service.owner);
  const title = pending
    ? `${actionText[pending.action].label} ${service.id}${pending.node ? ` on ${pending.node}` : ''}?`
    : '';
  return (
    <>
      <label className="sr-only" htmlFor={`target-${service.id}`}>
        Member for {service.id}
      </label>
      <select
        id={`target-${service.id}`}
        value={target}
        onChange={(event) => setTarget(event.target.value)}
        data-test="service-target"
      >
        <option value="">Any member</option>
        {targets.map((member) => (
          <option key={member.name} value={member.name} disabled={!member.online}>
            {member.name}
            {member.online ? '' : ' (offline)'}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="primary"
        disabled={service.frozen}
        onClick={() => setPending({ action: placeAction, node })}
        data-test={`service-${placeAction}`}
      >
        {actionText[placeAction].label}
      </button>
      {actionsFor(service)
        .filter((action) => action !== placeAction)
        .map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'disable' ? 'danger' : undefined}
            onClick={() => setPending({ action, node: undefined })}
            data-test={`service-${action}`}
          >
            {actionText[action].label}
          </button>
        ))}
      <ConfirmDialog
        open={pending !== null}
        title={title}
        confirmLabel={pending ? actionText[pending.action].label : ''}
        danger={pending?.action === 'disable'}
        testId="service-action-dialog"
        onCancel={() => setPending(null)}
        onConfirm={async () => {
          if (!pending) return;
          await props.onRun(service.id, () =>
            serviceAction(cluster, service.id, pending.action, pending.node),
          );
          // The chosen member served its purpose; the next action starts from "any" again.
          setTarget('');
        }}
      >
        {pending && (
          <p>
            {actionText[pending.action].label} <span className="mono">{service.id}</span>
            {pending.node ? (
              <>
                {' '}
                on <span className="mono">{pending.node}</span>
              </>
            ) : null}
            : {actionText[pending.action].does}.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
