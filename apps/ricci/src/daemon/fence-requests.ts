// fence_node from this node (the CLI or the console): the controller's fence desk takes it on
// any node — the leader records it and fences, a follower forwards it — and it resolves once the
// leader has recorded the request. The fence itself follows, seen as fence events and in clustat.
import type { ControllerEvent, ControllerInput } from '@quorate/core';
import type { ControlResult } from '@quorate/protocol';
import { PendingAnswers } from '../control/pending-answers.js';

type NodeResult = Extract<ControlResult, { type: 'node' }>;

export interface FenceRequestsHost {
  /** Whether the node runs its resource manager (and so the controller's desks). */
  hasController(): boolean;
  /** Feeds a controller input as the daemon feeds local inputs; false when it took none. */
  submit(input: ControllerInput): boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class FenceRequests {
  private next = 0;
  private readonly answers = new PendingAnswers<NodeResult>();

  constructor(
    private readonly host: FenceRequestsHost,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  fence(node: string): Promise<NodeResult> {
    if (!this.host.hasController()) {
      return Promise.resolve(failed('this node has no committed cluster.conf to fence by'));
    }
    const id = `fence-${++this.next}`;
    const answer = this.answers.wait(id, this.timeoutMs, () =>
      failed(`no answer from the cluster within ${this.timeoutMs / 1000} s; try again`),
    );
    if (!this.host.submit({ type: 'fence-request', id, node })) {
      this.answers.settle(id, failed('the agent takes no input (it is stopping)'));
    }
    return answer;
  }

  /** Every controller event passes here; a request's result settles its waiting promise. */
  controllerEvent(event: ControllerEvent): void {
    if (event.type !== 'fence-request-result') return;
    this.answers.settle(event.id, { type: 'node', ok: event.ok, message: event.message });
  }
}

function failed(message: string): NodeResult {
  return { type: 'node', ok: false, message };
}
