import { parseArgs } from 'node:util';
import { clusvcadmExitCode, type RmRequest } from '@quorate/core';
import type { ClusterStatus } from '@quorate/protocol';
import {
  AgentRequestError,
  type AgentUnavailableError,
  agentUnavailableDetail,
  type ControlClient,
  withAgent,
} from '../agent-client/index.js';
import type { CliIo } from '../ccs-tool/main.js';
import { withType } from '../clustat/main.js';
import type { CommandIo, Env, RunOptions } from '../command-io.js';
import { quorateVersion } from '../version.js';
import { matchMember } from './member-match.js';

export const clusvcadmUsage = `usage: clusvcadm [command]

Service commands (SERVICE is service:NAME, or NAME for a service; vm:NAME for a VM):
  -e SERVICE [-m MEMBER]  enable SERVICE (on MEMBER when given)
  -e SERVICE -F           enable following the failover domain (always the case here)
  -d SERVICE              disable: stopped until enabled again
  -s SERVICE              stop: stopped until the next membership change restarts it
  -R SERVICE              restart in place
  -r SERVICE [-m MEMBER]  relocate: stop, then start on another member (MEMBER when given)
  -M SERVICE -m MEMBER    migrate (live, for VMs) to MEMBER
  -Z SERVICE              freeze: no status checks, no failover, no moves
  -U SERVICE              unfreeze
  -c SERVICE              convalesce: start the failed non-critical parts again
  -q                      quiet: print nothing on stdout
  -v                      print the version and exit
Resource manager lock (held cluster-wide until unlocked, even across quorum loss):
  -l                      lock: no service starts or moves
  -u                      unlock
  -S                      show whether it is locked
`;

type Verb = { readonly kind: Exclude<RmRequest['kind'], 'lock' | 'unlock' | 'query-lock'> };
const verbs: Record<string, Verb['kind']> = {
  e: 'enable',
  d: 'disable',
  r: 'relocate',
  M: 'migrate',
  s: 'stop',
  R: 'restart',
  Z: 'freeze',
  U: 'unfreeze',
  c: 'convalesce',
};
/** clusvcadm's words for each request: "Local machine <words> service:x...". */
const actionWords: Record<Verb['kind'], string> = {
  enable: 'trying to enable',
  disable: 'disabling',
  relocate: 'relocate',
  migrate: 'migrate',
  stop: 'stopping',
  restart: 'trying to restart',
  freeze: 'freezing',
  unfreeze: 'unfreezing',
  convalesce: 'convalescing',
};

const options = {
  ...Object.fromEntries(Object.keys(verbs).map((k) => [k, { type: 'string' } as const])),
  m: { type: 'string' },
  n: { type: 'string' },
  l: { type: 'boolean' },
  S: { type: 'boolean' },
  u: { type: 'boolean' },
  F: { type: 'boolean' },
  q: { type: 'boolean' },
  v: { type: 'boolean' },
  h: { type: 'boolean' },
} as const;

type LockKind = 'lock' | 'unlock' | 'query-lock';

interface ServiceVerb {
  readonly kind: Verb['kind'];
  readonly service: string;
  readonly node: string | undefined;
}

type Interpreted =
  | { readonly next: 'exit'; readonly status: number }
  | { readonly next: 'lock'; readonly lock: LockKind }
  | { readonly next: 'service'; readonly verb: ServiceVerb };

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

const exit = (status: number): Interpreted => ({ next: 'exit', status });
const lockKinds: Record<string, LockKind> = { l: 'lock', u: 'unlock', S: 'query-lock' };

/** Options act in order, as getopt delivered them: -l, -u, -S, -v and -h act at once. */
function interpret(tokens: readonly Token[], out: CliIo): Interpreted {
  let kind: Verb['kind'] | undefined;
  let service: string | undefined;
  let node: string | undefined;
  let followDomain = false;
  for (const token of tokens) {
    if (token.kind !== 'option') {
      const word = token.kind === 'positional' ? token.value : '--';
      out.stderr(`clusvcadm: unexpected argument "${word}"\n`);
      out.stdout(clusvcadmUsage);
      return exit(1);
    }
    const { name, value } = token;
    const lock = lockKinds[name];
    if (lock) return { next: 'lock', lock };
    if (name === 'v') out.stdout(`${quorateVersion}\n`);
    if (name === 'h') out.stdout(clusvcadmUsage);
    if (name === 'v' || name === 'h') return exit(name === 'v' ? 0 : 1);
    const isNode = name === 'm' || name === 'n';
    if ((name === 'F' && node !== undefined) || (isNode && followDomain)) {
      out.stderr("Cannot use '-F' with '-n' or '-m'\n");
      return exit(1);
    }
    if (name === 'F') followDomain = true;
    else if (isNode) node = value;
    else if (name in verbs) [kind, service] = [verbs[name], value];
  }
  if (kind === undefined || service === undefined) {
    out.stdout(clusvcadmUsage);
    return exit(1);
  }
  if (kind === 'migrate' && node === undefined) {
    out.stdout('Migration requires a target cluster member\n');
    return exit(1);
  }
  return { next: 'service', verb: { kind, service: withType(service), node } };
}

/** Runs `clusvcadm ARGV…` in-process and returns its exit status. */
export async function runClusvcadm(
  argv: readonly string[],
  env: Env,
  io: CommandIo,
  run: RunOptions = {},
): Promise<number> {
  let tokens: Token[];
  try {
    tokens = parseArgs({ args: [...argv], options, strict: true, tokens: true }).tokens;
  } catch (e) {
    io.stderr(`clusvcadm: ${(e as Error).message.split('\n')[0]}\n`);
    io.stdout(clusvcadmUsage);
    return 1;
  }
  // -q closed stdout in clusvcadm; here it silences stdout wherever it appears.
  const quiet = tokens.some((t) => t.kind === 'option' && t.name === 'q');
  const out: CliIo = { stdout: quiet ? () => {} : (t) => io.stdout(t), stderr: io.stderr };
  const interpreted = interpret(tokens, out);
  if (interpreted.next === 'exit') return interpreted.status;
  if (interpreted.next === 'lock') return lockCommand(interpreted.lock, env, out, run);
  const { verb } = interpreted;
  return guarded(out, () =>
    withAgent(env, run, noClusterService(out), (client) => serviceCommand(client, verb, out)),
  );
}

function noClusterService(out: CliIo) {
  return (error: AgentUnavailableError) => {
    out.stdout('Could not connect to cluster service\n');
    out.stderr(`clusvcadm: ${agentUnavailableDetail(error)}\n`);
    return 1;
  };
}

async function guarded(out: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof AgentRequestError)) throw e;
    out.stdout('\n');
    out.stderr(`clusvcadm: ${e.message}\n`);
    return 1;
  }
}

/** Resolves -m as clusvcadm did; undefined (after saying why) when it names no usable member. */
function resolveTarget(status: ClusterStatus, node: string, migrate: boolean, out: CliIo) {
  const match = matchMember(status.members, node);
  if (match.kind !== 'exact') out.stdout(`'${node}' not in membership list\n`);
  if (match.kind === 'none') out.stdout(`No matches for '${node}' found\n`);
  if (match.kind === 'ambiguous') out.stdout(`More than one possible match for '${node}' found\n`);
  if (match.kind === 'none' || match.kind === 'ambiguous') return undefined;
  if (match.kind === 'closest') out.stdout(`Closest match: '${match.member.name}'\n`);
  if (migrate && !match.member.online) {
    out.stdout(`'${match.member.name}' is offline\n`);
    return undefined;
  }
  return match.member.name;
}

function rmRequest(kind: Verb['kind'], service: string, target: string | undefined): RmRequest {
  if (kind === 'migrate') return { kind, service, target: target! };
  if (kind === 'enable' || kind === 'relocate') {
    return target === undefined ? { kind, service } : { kind, service, target };
  }
  return { kind, service };
}

async function serviceCommand(
  client: ControlClient,
  verb: ServiceVerb,
  out: CliIo,
): Promise<number> {
  const status = await client.status();
  let target: string | undefined;
  if (verb.node !== undefined) {
    target = resolveTarget(status, verb.node, verb.kind === 'migrate', out);
    if (target === undefined) return 1;
  }
  const words = actionWords[verb.kind];
  if (verb.kind === 'relocate' || verb.kind === 'migrate') {
    out.stdout(
      `Trying to ${words} ${verb.service}${target === undefined ? '' : ` to ${target}`}...`,
    );
  } else if (target === undefined) {
    out.stdout(`Local machine ${words} ${verb.service}...`);
  } else {
    out.stdout(`Member ${target} ${words} ${verb.service}...`);
  }
  if (!status.resourceManager.running) {
    out.stdout('Could not connect to resource group manager\n');
    return 1;
  }
  const result = await client.request({
    type: 'rm',
    request: rmRequest(verb.kind, verb.service, target),
  });
  if (result.type !== 'rm')
    throw new AgentRequestError('CONTROL_FRAME_INVALID', 'not an rm result');
  out.stdout(`${result.message}\n`);
  // The reason behind a failure; a success speaks for itself, as rgmanager's did.
  if (result.code !== 0 && result.detail) out.stderr(`clusvcadm: ${result.detail}\n`);
  if (result.code === 0 && (verb.kind === 'enable' || verb.kind === 'relocate')) {
    const owner = result.owner ?? 'none';
    const warning = target !== undefined && owner !== target ? 'Warning: ' : '';
    out.stdout(`${warning}${verb.service} is now running on ${owner}\n`);
  }
  return clusvcadmExitCode(result.code);
}

const lockWords: Record<LockKind, { done: string; failed: string }> = {
  lock: { done: 'Resource groups locked', failed: 'Lock operation failed' },
  unlock: { done: 'Resource groups unlocked', failed: 'Unlock operation failed' },
  'query-lock': { done: '', failed: 'Query operation failed' },
};

async function lockCommand(kind: LockKind, env: Env, out: CliIo, run: RunOptions): Promise<number> {
  const { done, failed } = lockWords[kind];
  const unavailable = (error: AgentUnavailableError) => {
    noClusterService(out)(error);
    out.stdout(`${failed}\n`);
    return 1;
  };
  return guarded(out, () =>
    withAgent(env, run, unavailable, async (client) => {
      const result = await client.request({ type: 'rm', request: { kind } });
      const answered =
        result.type === 'rm' && (kind !== 'query-lock' || result.locked !== undefined);
      if (result.type !== 'rm' || result.code !== 0 || !answered) {
        if (result.type === 'rm') {
          const why = result.detail ? `${result.message}: ${result.detail}` : result.message;
          out.stderr(`clusvcadm: ${why}\n`);
        }
        out.stdout(`${failed}\n`);
        return 1;
      }
      if (kind !== 'query-lock') out.stdout(`${done}\n`);
      else out.stdout(result.locked ? 'Resource groups locked\n' : 'Resource groups unlocked\n');
      return 0;
    }),
  );
}
