// A small world for transcripts: one configuration, a membership, the replicated service state
// and an executor whose agent operations succeed unless a fault was planted. Every command
// prints what an administrator would want to read. See testdata/*.txt.
import type { ClusterConf } from '../cluster-conf/model.js';
import { parseClusterConf } from '../cluster-conf/read.js';
import { configChangeOperations } from './config-change.js';
import type { Decision } from './evaluate.js';
import {
  emptyResourceManagerState,
  type Intent,
  type ResourceManagerState,
  type ServiceStateName,
  serviceState,
  transition,
  withService,
} from './model.js';
import { placeService } from './placement.js';
import { applyReport } from './reports.js';
import type { RmRequest } from './request-model.js';
import { applyRequest } from './requests.js';
import { type RmConfig, readRmConfig } from './rm-config.js';
import { runOperations, type SettleObserver, settle } from './settle.js';
import { formatState, formatWhere, requestLine, serviceId } from './transcript-print.js';

export class TranscriptWorld {
  conf: ClusterConf | undefined;
  config: RmConfig | undefined;
  members: string[] = [];
  state: ResourceManagerState = emptyResourceManagerState;
  /** The leader's clock: every command advances it by a second. */
  nowMs = 0;
  /** `service op` pairs whose next operation fails. */
  readonly faults = new Set<string>();
  private out: string[] = [];
  /** Waiting services printed last time: only changes are printed again. */
  private waits: string[] = [];

  run(command: string, body: string | undefined): string {
    this.out = [];
    this.nowMs += 1000;
    const [verb, ...args] = command.trim().split(/\s+/);
    try {
      this.dispatch(verb ?? '', args, body);
    } catch (e) {
      this.out.push(`error: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.out.length > 0 ? this.out.join('\n') : 'ok';
  }

  private rm(): RmConfig {
    if (!this.config) throw new Error('no config yet');
    return this.config;
  }

  private dispatch(verb: string, args: string[], body: string | undefined): void {
    switch (verb) {
      case 'config':
        this.loadConfig(body ?? '');
        return;
      case 'members':
        this.setMembers(args);
        return;
      case 'fail':
        this.out.push(...args.map((n) => `${n} is lost and fenced`));
        this.setMembers(this.members.filter((m) => !args.includes(m)));
        return;
      case 'return':
        this.setMembers([...this.members, ...args.filter((n) => !this.members.includes(n))]);
        return;
      case 'request':
        this.request(args);
        return;
      case 'where':
        this.out.push(...formatWhere(placeService(this.input(), serviceId(args[0] ?? ''))));
        return;
      case 'state':
        this.out.push(...formatState(this.rm(), this.state));
        return;
      case 'seed':
        this.seed(args);
        return;
      case 'fault':
        this.faults.add(`${serviceId(args[0] ?? '')} ${args[1]}`);
        return;
      case 'status-fail':
        this.statusFailure(serviceId(args[0] ?? ''));
        return;
      default:
        throw new Error(`unknown command ${verb}`);
    }
  }

  private input() {
    return { config: this.rm(), members: this.members, state: this.state, atMs: this.nowMs };
  }

  private loadConfig(text: string): void {
    const conf = parseClusterConf(text);
    if (this.conf) {
      for (const c of configChangeOperations(this.conf, conf, this.state)) {
        this.out.push(`${c.service} on ${c.node}: ${c.change}`);
        for (const step of [...c.stop, ...c.start, ...c.reconfig]) {
          const why = step.implied ? ' (below a changed resource)' : '';
          const attrs = step.changedAttributes.length
            ? ` [${step.changedAttributes.join(', ')}]`
            : '';
          this.out.push(`  ${step.action} ${step.type}:${step.primaryValue}${attrs}${why}`);
        }
      }
    }
    this.conf = conf;
    const changed = this.config !== undefined;
    this.config = readRmConfig(conf);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const { nodes, services } = this.config;
    this.out.push(`${plural(nodes.length, 'node')}, ${plural(services.length, 'service')}`);
    this.settle(changed);
  }

  private setMembers(members: string[]): void {
    const before = this.members;
    this.members = members;
    const joined = members.filter((m) => !before.includes(m)).sort();
    const left = before.filter((m) => !members.includes(m)).sort();
    if (joined.length) this.out.push(`joined: ${joined.join(' ')}`);
    if (left.length) this.out.push(`left: ${left.join(' ')}`);
    if (this.config) this.settle(true);
  }

  private seed(args: string[]): void {
    const [name, state, owner] = args;
    const id = serviceId(name ?? '');
    const s = transition(
      serviceState(this.state, id),
      state as ServiceStateName,
      owner,
      this.nowMs,
    );
    this.state = withService(this.state, { ...s, lastOwner: undefined });
  }

  private request(args: string[]): void {
    const request = parseRequest(args);
    const outcome = applyRequest(this.input(), request);
    this.out.push(requestLine(request, outcome));
    if (outcome.code !== 0) return;
    this.state = outcome.state;
    this.execute(outcome.intents);
    this.settle(false);
    if (
      'service' in request &&
      ['enable', 'relocate', 'migrate', 'restart'].includes(request.kind)
    ) {
      const s = serviceState(this.state, request.service);
      const target = 'target' in request ? request.target : undefined;
      if (s.state === 'started') {
        const warn = target !== undefined && target !== s.owner ? 'Warning: ' : '';
        this.out.push(`${warn}${s.id} is now running on ${s.owner}`);
      }
    }
  }

  private statusFailure(id: string): void {
    const owner = serviceState(this.state, id).owner ?? '';
    this.out.push(`status check of ${id} on ${owner} failed`);
    this.execute(this.report({ op: 'status', service: id, node: owner, ok: false }));
    this.settle(false);
  }

  private report(r: Parameters<typeof applyReport>[1]): Intent[] {
    const outcome = applyReport(this.input(), r);
    this.state = outcome.state;
    this.out.push(...outcome.events.map((e) => `  ${e}`));
    return [...outcome.intents];
  }

  /** Runs agent operations in order, feeding each result back, until none follow. */
  private execute(intents: readonly Intent[]): void {
    const succeeds = (i: Intent) => !this.faults.delete(`${i.service} ${i.op}`);
    this.state = runOperations(this.input(), intents, succeeds, this.observer);
  }

  /** Evaluates until nothing changes, as the leader does after every committed change. */
  private settle(memberTransition: boolean): void {
    const succeeds = (i: Intent) => !this.faults.delete(`${i.service} ${i.op}`);
    const settled = settle({ ...this.input(), memberTransition }, succeeds, this.observer);
    this.state = settled.state;
    const waits = settled.waits.map((d) => decisionLine(d));
    this.out.push(...waits.filter((w) => !this.waits.includes(w)));
    this.waits = waits;
  }

  private readonly observer: SettleObserver = {
    decision: (d) => this.out.push(decisionLine(d)),
    operation: (intent, ok) => {
      const where =
        intent.op === 'migrate' ? `${intent.node} -> ${intent.target}` : `on ${intent.node}`;
      this.out.push(`  ${intent.op} ${intent.service} ${where}: ${ok ? 'ok' : 'FAILED'}`);
    },
    events: (lines) => this.out.push(...lines.map((e) => `  ${e}`)),
  };
}

function decisionLine(d: Decision): string {
  const node = d.node ? ` ${d.node}` : '';
  return `  ${d.action} ${d.service}${node} (${d.reason})`;
}

function parseRequest(args: string[]): RmRequest {
  const [kind, name, ...rest] = args;
  const flag = rest.indexOf('-m');
  const target = flag >= 0 ? rest[flag + 1] : undefined;
  if (kind === 'lock' || kind === 'unlock' || kind === 'query-lock') return { kind };
  const service = serviceId(name ?? '');
  if (kind === 'migrate') {
    if (target === undefined) throw new Error('Migration requires a target cluster member');
    return { kind, service, target };
  }
  if (kind === 'enable' || kind === 'relocate') {
    return target === undefined ? { kind, service } : { kind, service, target };
  }
  const simple = ['disable', 'stop', 'restart', 'freeze', 'unfreeze', 'convalesce'] as const;
  const known = simple.find((k) => k === kind);
  if (!known) throw new Error(`unknown request ${kind}`);
  return { kind: known, service };
}
