import type { ActionOutcome, ClusterEvent, MemberStatus } from '@quorate/protocol';
import { useState } from 'react';
import { fenceAck } from '../clusters/cluster-actions.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useFlash } from '../ui/use-flash.js';

type Presence = { tone: string; icon: string; word: string };

/** Online, Offline or Fencing: the latest fence event about an offline member decides. */
function presenceOf(member: MemberStatus, events: readonly ClusterEvent[]): Presence {
  if (member.online) return { tone: 'ok', icon: '●', word: 'Online' };
  const latest = events.find(
    (e) => e.subject === member.name && ['fence', 'fenced', 'member'].includes(e.kind),
  );
  if (latest?.kind === 'fence') return { tone: 'bad', icon: '⚡', word: 'Fencing' };
  if (latest?.kind === 'fenced') return { tone: 'idle', icon: '○', word: 'Offline, fenced' };
  return { tone: 'bad', icon: '✕', word: 'Offline' };
}

function MemberRow(props: {
  member: MemberStatus;
  leader: boolean;
  presence: Presence;
  canFenceAck: boolean;
  onFenceAck: (node: string) => void;
}) {
  const { member, presence } = props;
  const flash = useFlash(`${presence.word}|${member.incarnation}|${props.leader}`);
  return (
    <tr data-test="member-row" data-changed={flash || undefined}>
      <td className="mono" data-test="member-name">
        {member.name}
        {member.local && <span className="badge">local</span>}
        {props.leader && (
          <span className="badge" data-test="member-leader">
            leader
          </span>
        )}
      </td>
      <td>
        <span className="state" data-tone={presence.tone} data-test="member-state">
          <span aria-hidden="true">{presence.icon}</span> {presence.word}
        </span>
      </td>
      <td data-test="member-votes">{member.votes}</td>
      <td data-test="member-incarnation">{member.incarnation}</td>
      <td className="mono">{member.addresses.join(', ')}</td>
      {props.canFenceAck && (
        <td className="row-actions">
          {!member.online && (
            <button
              type="button"
              onClick={() => props.onFenceAck(member.name)}
              data-test="member-fence-ack"
            >
              Acknowledge manual fencing…
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

/** cman_tool nodes / clustat's member list: status, leader, votes, incarnation, addresses. */
export function MembersTable(props: {
  cluster: string;
  members: readonly MemberStatus[];
  leader: string | null;
  events: readonly ClusterEvent[];
  canFenceAck: boolean;
  onRun: (subject: string, run: () => Promise<ActionOutcome>) => Promise<void>;
}) {
  const [acking, setAcking] = useState<string | null>(null);
  return (
    <>
      <table data-test="members-table">
        <thead>
          <tr>
            <th>Member</th>
            <th>Status</th>
            <th>Votes</th>
            <th>Incarnation</th>
            <th>Addresses</th>
            {props.canFenceAck && (
              <th>
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {props.members.map((member) => (
            <MemberRow
              key={member.name}
              member={member}
              leader={member.name === props.leader}
              presence={presenceOf(member, props.events)}
              canFenceAck={props.canFenceAck}
              onFenceAck={setAcking}
            />
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={acking !== null}
        title={`Acknowledge that ${acking ?? ''} is off?`}
        confirmLabel="It is off: acknowledge"
        testId="fence-ack-dialog"
        onCancel={() => setAcking(null)}
        onConfirm={async () => {
          if (acking) await props.onRun(acking, () => fenceAck(props.cluster, acking));
        }}
      >
        <p>
          Only after you have made sure <span className="mono">{acking}</span> is powered off or cut
          from the shared storage: its services then start elsewhere. If it is still running, data
          can be corrupted.
        </p>
      </ConfirmDialog>
    </>
  );
}
