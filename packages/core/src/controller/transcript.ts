// The controller's transcripts (testdata/*.txt): commands against a ControllerWorld, each
// printing what happened, tick by tick: committed records (`log:`), agent operations, fence
// operations and the controllers' events. See testdata/README.txt for the command list.

import type { AgentFaultKind } from './sim-agents.js';
import type { FenceDeviceKind } from './sim-fence-devices.js';
import { ControllerWorld } from './test-world.js';
import { parseRequestArgs } from './transcript-request.js';
import { CONTROLLER_BUGS, type ControllerBug } from './types.js';

/** Ticks without a printed line after which `settle` stops. */
const QUIET_TICKS = 60;
const MAX_SETTLE_TICKS = 3000;

export class ControllerTranscript {
  private world: ControllerWorld | undefined;
  private requests = 0;

  run(command: string, body: string | undefined): string {
    const [verb, ...args] = command.trim().split(/\s+/);
    let lines: string[];
    try {
      lines = this.dispatch(verb ?? '', args, body);
    } catch (e) {
      lines = [`error: ${e instanceof Error ? e.message : String(e)}`];
    }
    return lines.length > 0 ? lines.join('\n') : 'ok';
  }

  private w(): ControllerWorld {
    if (!this.world) throw new Error('no cluster yet');
    return this.world;
  }

  private dispatch(verb: string, args: string[], body: string | undefined): string[] {
    if (verb === 'cluster') return this.cluster(args, body ?? '');
    if (verb === 'update') return this.update(body ?? '');
    const w = this.w();
    const run = (fn: () => void) => {
      fn();
      return w.takeOutput();
    };
    switch (verb) {
      case 'run':
        return run(() => w.tick(Number(args[0] ?? 1)));
      case 'settle':
        return this.settle();
      case 'request':
        return this.request(args);
      case 'kill':
        return run(() => w.kill(arg(args, 0)));
      case 'restart':
        return run(() => w.restart(arg(args, 0)));
      case 'boot':
        return run(() => w.boot(arg(args, 0)));
      case 'leave':
        return [...run(() => w.step(arg(args, 0), { type: 'leave' })), ...this.settle()];
      case 'isolate':
        return run(() => w.isolate(arg(args, 0)));
      case 'cut':
        return run(() => w.cut.add(`${arg(args, 0)}>${arg(args, 1)}`));
      case 'recover':
        return run(() => w.recover());
      case 'fault':
        return this.fault(args);
      case 'crash':
        return run(() => w.agents.crash(arg(args, 0), serviceId(arg(args, 1)), arg(args, 2)));
      case 'fence-device':
        return run(() => w.fences.setKind(arg(args, 0), arg(args, 1) as FenceDeviceKind));
      case 'ack':
        return run(() => w.step(arg(args, 0), { type: 'fence-ack', node: arg(args, 1) }));
      case 'fence':
        return this.fenceNode(arg(args, 0), arg(args, 1));
      case 'state':
        return this.state();
      case 'running':
        return w.ids.map(
          (n) => `${n}: ${w.isUp(n) ? w.agents.runningOn(n).join(' ') || '-' : 'down'}`,
        );
      case 'check':
        return this.check(args);
      default:
        throw new Error(`unknown command ${verb}`);
    }
  }

  private cluster(args: string[], body: string): string[] {
    const opts = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
    const plant = opts.plant as ControllerBug | undefined;
    if (plant !== undefined && !CONTROLLER_BUGS.includes(plant))
      throw new Error(`unknown bug ${plant}`);
    const world = new ControllerWorld(`${body}\n`, {
      plant: plant ?? null,
      ...(opts.reboot ? { rebootTicks: Number(opts.reboot) } : {}),
    });
    this.world = world;
    for (const id of world.ids) world.boot(id);
    const services = world.nodes.get(world.ids[0]!)!.config().rm.services.length;
    const plural = services === 1 ? 'service' : 'services';
    return [
      `${world.ids.length} nodes (${world.ids.join(' ')}), ${services} ${plural}; one tick is ${world.tickMs} ms, service lease ${world.lease} ticks`,
    ];
  }

  /** ccs_tool update: the leader proposes the new file; it is committed, then every node acts. */
  private update(text: string): string[] {
    const w = this.w();
    const leader = [...w.nodes.values()].find((c) => c.isLeaderReady());
    if (!leader) throw new Error('no leader to propose to');
    const result = leader.node.proposeConfig({ kind: 'file', text: `${text}\n` });
    w.flush(leader.id);
    const head = result.accepted
      ? `${leader.id}: cluster.conf version ${result.version} proposed at index ${result.index}`
      : `${leader.id}: refused (${result.rule}): ${result.message}`;
    return [head, ...w.takeOutput(), ...this.settle()];
  }

  /** Runs until nothing is printed for a while: the cluster has settled. */
  private settle(): string[] {
    const w = this.w();
    const out: string[] = [];
    let quiet = 0;
    for (let i = 0; i < MAX_SETTLE_TICKS && quiet < QUIET_TICKS; i++) {
      w.tick();
      const lines = w.takeOutput();
      out.push(...lines);
      quiet = lines.length > 0 ? 0 : quiet + 1;
    }
    return out;
  }

  /** `request NODE clusvcadm-words`: the request on NODE, then the cluster settles. */
  private request(args: string[]): string[] {
    const w = this.w();
    const node = arg(args, 0);
    const id = `r${++this.requests}`;
    w.step(node, { type: 'rm-request', id, request: parseRequestArgs(args.slice(1)) });
    return [...w.takeOutput(), ...this.settle()];
  }

  /** `fence NODE VICTIM`: fence_node VICTIM typed on NODE, then the cluster settles. */
  private fenceNode(node: string, victim: string): string[] {
    const w = this.w();
    w.step(node, { type: 'fence-request', id: `f${++this.requests}`, node: victim });
    return [...w.takeOutput(), ...this.settle()];
  }

  private fault(args: string[]): string[] {
    const [node, resource, action, kind, times] = args;
    if (!node || !resource || !action || (kind !== 'fail' && kind !== 'hang')) {
      throw new Error('usage: fault NODE|* RESOURCE|* ACTION fail|hang [TIMES]');
    }
    this.w().agents.fault(node, resource, action, kind as AgentFaultKind, Number(times ?? 1));
    return [];
  }

  private state(): string[] {
    const w = this.w();
    const rm = w.observer.state.rm;
    const lines = Object.values(rm.services)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((s) => {
        const owner = s.owner ?? (s.lastOwner ? `(${s.lastOwner})` : '');
        const flags = [s.frozen ? 'frozen' : '', s.partial ? 'partial' : ''].filter(Boolean);
        return ` ${s.id.padEnd(20)} ${owner.padEnd(10)} ${s.state}${flags.length ? ` [${flags.join(',')}]` : ''}`;
      });
    return rm.locked ? [...lines, ' (resource groups locked)'] : lines;
  }

  private check(args: string[]): string[] {
    const w = this.w();
    if (args[0] === 'liveness') w.checkLiveness();
    const v = w.checkers.violations;
    return v.length === 0
      ? ['no violations']
      : v.map((x) => `VIOLATION ${x.rule} at ${x.tick}: ${x.message}`);
  }
}

function arg(args: readonly string[], i: number): string {
  const a = args[i];
  if (a === undefined) throw new Error(`argument ${i + 1} is missing`);
  return a;
}

export function serviceId(name: string): string {
  return name.includes(':') ? name : `service:${name}`;
}
