// Whole cluster.conf proposals from this node (`ccs_tool update`, `cman_tool version -r`,
// `cman_tool votes`, `leave remove`, the console): with a resource manager they go through the
// controller's config desk, so any node takes them — the leader proposes, a follower forwards —
// and each resolves once the file is committed or refused. A bare node (no cluster.conf yet)
// proposes to its own consensus node, which accepts only as the leader.
import type { ConfigProposalResult, ControllerEvent, ControllerInput } from '@quorate/core';
import { configRefusalRuleSchema } from '@quorate/protocol';
import { PendingAnswers } from '../control/pending-answers.js';

/** A proposal's outcome; `accepted` means committed when a resource manager runs. */
type ConfigRequestRefusal = Extract<ConfigProposalResult, { accepted: false }>;

export type ConfigRequestResult =
  | { readonly accepted: true; readonly version: number }
  | ConfigRequestRefusal;

export interface ConfigRequestsHost {
  /** Whether the node runs its resource manager (and so the controller's desk). */
  hasController(): boolean;
  /** Feeds a controller input as the daemon feeds local inputs; false when it took none. */
  submit(input: ControllerInput): boolean;
  /** A bare node's own proposal, answered at once; null when it took no input. */
  proposeLocally(text: string): ConfigProposalResult | null;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class ConfigRequests {
  private next = 0;
  private readonly answers = new PendingAnswers<ConfigRequestResult>();

  constructor(
    private readonly host: ConfigRequestsHost,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  propose(text: string): Promise<ConfigRequestResult> {
    if (!this.host.hasController()) return Promise.resolve(this.local(text));
    const id = `config-${++this.next}`;
    const answer = this.answers.wait(id, this.timeoutMs, () =>
      tryAgain(`no answer from the cluster within ${this.timeoutMs / 1000} s`),
    );
    if (!this.host.submit({ type: 'config-request', id, text })) {
      this.answers.settle(id, tryAgain('the agent takes no input (it is stopping)'));
    }
    return answer;
  }

  /** Every controller event passes here; a proposal's result settles its waiting promise. */
  controllerEvent(event: ControllerEvent): void {
    if (event.type !== 'config-result') return;
    this.answers.settle(
      event.id,
      event.ok && event.version !== undefined
        ? { accepted: true, version: event.version }
        : { accepted: false, rule: refusalRule(event.rule), message: event.message },
    );
  }

  close(): void {
    this.answers.settleAll(tryAgain('the agent is stopping'));
  }

  private local(text: string): ConfigRequestResult {
    const result = this.host.proposeLocally(text);
    if (result === null) return tryAgain('the agent takes no input (it is stopping)');
    return result.accepted ? { accepted: true, version: result.version } : result;
  }
}

/** A leader's rule as the core's type; anything unknown (a newer leader's) means ask again. */
function refusalRule(rule: string | undefined): ConfigRequestRefusal['rule'] {
  const known = configRefusalRuleSchema.safeParse(rule);
  return known.success ? known.data : 'try-again';
}

function tryAgain(message: string): ConfigRequestResult {
  return { accepted: false, rule: 'try-again', message };
}
