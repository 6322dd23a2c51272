import type { ActionOutcome } from '@quorate/protocol';
import { useState } from 'react';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { setLock } from './cluster-actions.js';

/** clusvcadm -l / -u: while locked, no service starts or moves anywhere in the cluster. */
export function LockControl(props: {
  cluster: string;
  locked: boolean;
  onRun: (subject: string, run: () => Promise<ActionOutcome>) => Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const lock = !props.locked;
  return (
    <>
      <button type="button" onClick={() => setAsking(true)} data-test={lock ? 'lock' : 'unlock'}>
        {lock ? 'Lock resource groups…' : 'Unlock resource groups…'}
      </button>
      <ConfirmDialog
        open={asking}
        title={`${lock ? 'Lock' : 'Unlock'} the resource groups of ${props.cluster}?`}
        confirmLabel={lock ? 'Lock' : 'Unlock'}
        danger={lock}
        testId="lock-dialog"
        onCancel={() => setAsking(false)}
        onConfirm={() => props.onRun(props.cluster, () => setLock(props.cluster, lock))}
      >
        <p>
          {lock
            ? 'While locked, no service starts, stops or moves — not even to recover from a failure — until someone unlocks. The lock holds across leaders and quorum loss.'
            : 'Services start, move and recover again as the cluster decides.'}
        </p>
      </ConfirmDialog>
    </>
  );
}
