// How the controller's test world prints committed records and controller events: one line
// each, readable as documentation in the transcripts.
import type { ServiceState } from '../resource-manager/model.js';
import type { ControllerEvent } from './types.js';

export function describeRecord(s: ServiceState): string {
  const owner = s.owner ? ` on ${s.owner}` : '';
  const pending = s.pending
    ? ` (then ${s.pending.kind}${'node' in s.pending ? ` ${s.pending.node}` : ''})`
    : '';
  const flags = [s.frozen ? 'frozen' : '', s.partial ? 'partial' : ''].filter(Boolean);
  const flagText = flags.length > 0 ? ` [${flags.join(',')}]` : '';
  return `log: ${s.id} ${s.state}${owner}${pending}${flagText}`;
}

/** A line for the events worth reading; undefined for the ones the log lines already say. */
export function describeEvent(e: ControllerEvent): string | undefined {
  switch (e.type) {
    case 'service-state-changed':
      return undefined;
    case 'node-lost':
      return `${e.node} (incarnation ${e.incarnation}) left the membership uncleanly`;
    case 'fence-started':
      return `fencing ${e.victim} with method ${e.method}`;
    case 'fence-waiting-ack':
      return `method ${e.method} for ${e.victim} waits for fence_ack_manual`;
    case 'fence-succeeded':
      return `fenced ${e.victim} (incarnation ${e.incarnation}) with ${e.method}`;
    case 'fence-failed':
      return `method ${e.method} failed against ${e.victim}`;
    case 'fence-ack-refused':
      return `fence_ack_manual ${e.node} refused: ${e.reason}`;
    case 'request-result': {
      const detail = e.detail ? `: ${e.detail}` : '';
      const owner = e.owner ? `; owner ${e.owner}` : '';
      return `request ${e.id}: ${e.message} (${e.code})${detail}${owner}`;
    }
    case 'emergency-stop':
      if (e.reason === 'lease') {
        return `emergency stop of ${e.service} (no quorate leader for its service lease)`;
      }
      if (e.reason === 'declared-lost') {
        return `emergency stop of ${e.service} (the log records this node as lost)`;
      }
      if (e.reason === 'leaving') {
        return `stopping ${e.service}: this node is leaving the cluster`;
      }
      if (e.reason === 'removed') {
        return `emergency stop of ${e.service} (the committed cluster.conf no longer lists this node)`;
      }
      return `stopping ${e.service}: the log does not make this node its owner`;
    case 'fence-device-status':
      return e.ok
        ? `fence device ${e.device} answers its monitor`
        : `fence device ${e.device} FAILS its monitor`;
    case 'fence-settling':
      return `${e.victim}'s fence does not cut power: recovery waits ${e.ticks} ticks (service lease, drift, stop timeout)`;
    case 'probe-accepted':
      return undefined;
    case 'probe-complete':
      return e.running.length > 0 ? `probe found running: ${e.running.join(', ')}` : undefined;
    case 'inline-recovery':
      return `recovering the independent subtree at ${e.resource} of ${e.service} in place`;
    case 'controller-log':
      return e.message;
    case 'command-error':
      return `entry ${e.index} skipped: ${e.message}`;
    case 'console-trust-result':
      return `console trust ${e.id}: ${e.ok ? 'done' : 'refused'} (${e.message})`;
    case 'config-result':
      return `config ${e.id}: ${e.ok ? `version ${e.version} committed` : `refused (${e.message})`}`;
    case 'fence-request-result':
      return `fence_node ${e.id}: ${e.ok ? e.message : `refused (${e.message})`}`;
    case 'console-trust-changed':
      return `console ${e.fingerprint.slice(0, 11)}… ${e.trusted ? 'trusted' : 'revoked'} by the cluster`;
  }
}
