import {
  type AgentCatalog,
  type AgentParameter,
  applyConsoleEdits,
  type ClusterConf,
  type ConsoleEdit,
  catalogFromWire,
  EditError,
  type FenceAgentInfo,
  fieldOfPath,
  parseClusterConf,
} from '@quorate/core';
import type { ClusterConfigView, ConfigEditRequestItem } from '@quorate/protocol';
import { ApiError } from '../api/api-client.js';

/** What every editor tab reads: the committed file (secrets redacted), parsed, and the agents. */
export interface EditorState {
  readonly cluster: string;
  readonly view: ClusterConfigView;
  readonly conf: ClusterConf;
  readonly catalog: AgentCatalog;
  readonly fenceAgents: ReadonlyMap<string, FenceAgentInfo>;
}

type WireParameter = ClusterConfigView['fenceAgents'][number]['deviceParameters'][number];
const parameterOf = (p: WireParameter): AgentParameter => ({
  ...p,
  inherit: p.inherit,
  defaultValue: p.defaultValue,
});

function fenceAgentOf(agent: ClusterConfigView['fenceAgents'][number]): FenceAgentInfo {
  return {
    ...agent,
    deviceParameters: agent.deviceParameters.map(parameterOf),
    instanceParameters: agent.instanceParameters.map(parameterOf),
  };
}

export function editorStateOf(cluster: string, view: ClusterConfigView): EditorState {
  return {
    cluster,
    view,
    conf: parseClusterConf(view.text),
    catalog: catalogFromWire(view.resourceAgents),
    fenceAgents: new Map(view.fenceAgents.map((a) => [a.agent, fenceAgentOf(a)] as const)),
  };
}

/** A refusal shown in a form: `path` is where (ending in `/@attribute`), when the rule says. */
export interface FormError {
  readonly path: string | undefined;
  readonly message: string;
}

export function formErrorOf(error: unknown): FormError {
  if (error instanceof EditError) return { path: error.path, message: error.reason };
  if (error instanceof ApiError) return { path: error.field, message: error.message };
  return { path: undefined, message: error instanceof Error ? error.message : String(error) };
}

/** The message for the input of attribute `attr`, when the error is about it. */
export function errorAt(error: FormError | null, attr: string): string | undefined {
  if (!error?.path) return undefined;
  return fieldOfPath(error.path) === attr ? error.message : undefined;
}

/** The message for the form as a whole: an error about none of the form's own inputs. */
export function errorOfForm(error: FormError | null, attrs: readonly string[]): string | undefined {
  if (!error) return undefined;
  const attr = error.path ? fieldOfPath(error.path) : undefined;
  return attr !== undefined && attrs.includes(attr) ? undefined : error.message;
}

/**
 * The edits applied in the browser with the core's own rules, so a refusal shows at once and
 * nothing is sent; the server applies them again to the real file.
 */
export function tryEdits(state: EditorState, edits: readonly ConfigEditRequestItem[]): ClusterConf {
  return applyConsoleEdits(state.conf, edits as readonly ConsoleEdit[], state.catalog).conf;
}

/** The parameter changes between what a form started with and what it holds now. */
export function paramChanges(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  keepWhenEmpty: (name: string) => boolean = () => false,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[name] ?? '';
    const now = after[name] ?? '';
    if (now === was) continue;
    if (now !== '') out[name] = now;
    else if (!keepWhenEmpty(name)) out[name] = null;
  }
  return out;
}

/** Only the parameters that were given a value. */
export function filledParams(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
}
