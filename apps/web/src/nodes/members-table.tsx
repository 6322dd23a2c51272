import type { ActionOutcome, ClusterEvent, MemberStatus } from '@quorate/protocol';
import { useState } from 'react';
import { presenceOf } from './member-presence.js';
import { MemberRow } from './member-row.js';
import { type AskedCommand, NodeCommandDialog } from './node-command-dialog.js';

/** cman_tool nodes / clustat's member list: status, leader, votes, incarnation, addresses. */
export function MembersTable(props: {
  cluster: string;
  members: readonly MemberStatus[];
  leader: string | null;
  events: readonly ClusterEvent[];
  /** The node-commands role: leave, fence now, acknowledge manual fencing. */
  canNodeCommands: boolean;
  pending: ReadonlySet<string>;
  onRun: (subject: string, run: () => Promise<ActionOutcome>) => Promise<void>;
}) {
  const [asked, setAsked] = useState<AskedCommand | null>(null);
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
            {props.canNodeCommands && (
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
              onAsk={
                props.canNodeCommands ? (command) => setAsked({ node: member.name, command }) : null
              }
              pending={props.pending.has(member.name)}
            />
          ))}
        </tbody>
      </table>
      <NodeCommandDialog
        cluster={props.cluster}
        asked={asked}
        onClose={() => setAsked(null)}
        onRun={props.onRun}
      />
    </>
  );
}
