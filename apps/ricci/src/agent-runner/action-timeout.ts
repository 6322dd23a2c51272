// Which timeout an agent action runs with: an `<action>` override in cluster.conf wins over
// the agent's meta-data; a missing or zero timeout gets the default, since a run without a
// bound could hang the executor forever.
import type { ActionOverride, AgentAction } from '@quorate/core';
import { parseOcfDurationMs } from '@quorate/core';

/** Pacemaker's default operation timeout (PCMK_DEFAULT_ACTION_TIMEOUT_MS). */
export const defaultActionTimeoutMs = 20_000;

const statusNames = new Set(['status', 'monitor']);

function sameAction(a: string, b: string): boolean {
  return a === b || (statusNames.has(a) && statusNames.has(b));
}

function depthMatches(written: number | undefined, depth: number | undefined): boolean {
  return depth === undefined || (written ?? 0) === depth;
}

/** The action's timeout in ms, or undefined when neither source states one. */
export function actionTimeoutMs(
  action: string,
  depth: number | undefined,
  metadataActions: readonly AgentAction[],
  overrides: readonly ActionOverride[],
): number | undefined {
  for (const override of [...overrides].reverse()) {
    if (!sameAction(override.name, action) || override.timeout === undefined) continue;
    const overrideDepth = override.depth === undefined ? undefined : Number(override.depth);
    if (!depthMatches(overrideDepth, depth)) continue;
    const ms = parseOcfDurationMs(override.timeout);
    if (ms !== undefined && ms > 0) return ms;
  }
  const exact = metadataActions.find((a) => a.name === action && depthMatches(a.depth, depth));
  const alias = metadataActions.find(
    (a) => sameAction(a.name, action) && depthMatches(a.depth, depth),
  );
  const timeoutS = (exact ?? alias)?.timeoutS;
  return timeoutS !== undefined && timeoutS > 0 ? Math.round(timeoutS * 1000) : undefined;
}
