import type { ActionOutcome } from '@quorate/protocol';
import type { ReactNode } from 'react';
import { fenceAck, nodeCommand } from '../clusters/cluster-actions.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

/** The node commands a member row offers, each behind this dialog. */
export type MemberCommand = 'leave' | 'fence' | 'fence-ack';

export interface AskedCommand {
  readonly node: string;
  readonly command: MemberCommand;
}

type Words = { title: string; confirmLabel: string; danger: boolean; body: ReactNode };

function wordsOf({ node, command }: AskedCommand): Words {
  const name = <span className="mono">{node}</span>;
  if (command === 'leave') {
    return {
      title: `Make ${node} leave the cluster?`,
      confirmLabel: 'Leave',
      danger: false,
      body: (
        <p>
          {name} stops or moves its services, leaves the cluster cleanly (cman_tool leave) and its
          agent exits. Nobody fences it; it stays out until its agent is started again.
        </p>
      ),
    };
  }
  if (command === 'fence') {
    return {
      title: `Fence ${node} now?`,
      confirmLabel: `Fence ${node}`,
      danger: true,
      body: (
        <p>
          {name} will be powered off or cut off by its fence device (fence_node), whatever it is
          doing: anything it has not written is lost. Its services then start on other members.
        </p>
      ),
    };
  }
  return {
    title: `Acknowledge that ${node} is off?`,
    confirmLabel: 'It is off: acknowledge',
    danger: true,
    body: (
      <p>
        Only after you have made sure {name} is powered off or cut from the shared storage: its
        services then start elsewhere. If it is still running, data can be corrupted.
      </p>
    ),
  };
}

const testIds: Record<MemberCommand, string> = {
  leave: 'node-leave-dialog',
  fence: 'node-fence-dialog',
  'fence-ack': 'fence-ack-dialog',
};

function send(cluster: string, { node, command }: AskedCommand): Promise<ActionOutcome> {
  return command === 'fence-ack' ? fenceAck(cluster, node) : nodeCommand(cluster, node, command);
}

/** Asks before a node command, naming the node and what it will do to it. */
export function NodeCommandDialog(props: {
  cluster: string;
  asked: AskedCommand | null;
  onClose: () => void;
  onRun: (subject: string, run: () => Promise<ActionOutcome>) => Promise<void>;
}) {
  const { asked, cluster } = props;
  const words = asked ? wordsOf(asked) : null;
  return (
    <ConfirmDialog
      open={asked !== null}
      title={words?.title ?? ''}
      confirmLabel={words?.confirmLabel ?? ''}
      danger={words?.danger ?? true}
      testId={asked ? testIds[asked.command] : 'node-command-dialog'}
      onCancel={props.onClose}
      onConfirm={async () => {
        if (asked) await props.onRun(asked.node, () => send(cluster, asked));
      }}
    >
      {words?.body}
    </ConfirmDialog>
  );
}
