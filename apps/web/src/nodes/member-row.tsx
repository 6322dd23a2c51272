import type { MemberStatus } from '@quorate/protocol';
import { useFlash } from '../ui/use-flash.js';
import type { Presence } from './member-presence.js';
import type { MemberCommand } from './node-command-dialog.js';

/** One member: name and marks, presence, votes, incarnation, addresses, node commands. */
export function MemberRow(props: {
  member: MemberStatus;
  leader: boolean;
  presence: Presence;
  /** Null for a user without the node-commands role: no actions at all. */
  onAsk: ((command: MemberCommand) => void) | null;
  pending: boolean;
}) {
  const { member, presence, onAsk } = props;
  const flash = useFlash(`${presence.word}|${member.incarnation}|${props.leader}`);
  const name = member.name;
  return (
    <tr data-test="member-row" data-changed={flash || undefined} aria-busy={props.pending}>
      <td className="mono" data-test="member-name">
        {name}
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
        {props.pending && (
          <span className="badge" data-test="member-pending">
            pending
          </span>
        )}
      </td>
      <td data-test="member-votes">{member.votes}</td>
      <td data-test="member-incarnation">{member.incarnation}</td>
      <td className="mono">{member.addresses.join(', ')}</td>
      {onAsk && (
        <td className="row-actions">
          {member.online ? (
            <button type="button" onClick={() => onAsk('leave')} data-test={`node-leave-${name}`}>
              Leave…
            </button>
          ) : (
            !presence.left && (
              <button type="button" onClick={() => onAsk('fence-ack')} data-test="member-fence-ack">
                Acknowledge manual fencing…
              </button>
            )
          )}
          <button
            type="button"
            className="danger"
            onClick={() => onAsk('fence')}
            data-test={`node-fence-${name}`}
          >
            Fence…
          </button>
        </td>
      )}
    </tr>
  );
}
