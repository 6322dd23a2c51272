// Random fault schedules for the controller's property test: node power loss and process
// restarts, cut links, resource crashes, failing and hanging agent operations, failing and slow
// fence devices, administrators' requests. Test support, not exported from the package.
import type { ControllerWorld } from './test-world.js';

export type FaultStep =
  | { readonly kind: 'tick'; readonly ticks: number }
  | { readonly kind: 'kill' | 'restart' | 'boot' | 'isolate'; readonly node: number }
  | { readonly kind: 'cut'; readonly from: number; readonly to: number }
  | { readonly kind: 'recover' }
  | { readonly kind: 'crash'; readonly node: number; readonly service: number }
  | {
      readonly kind: 'agent-fault';
      readonly node: number;
      readonly action: 'start' | 'stop' | 'status';
      readonly fault: 'fail' | 'hang';
    }
  | { readonly kind: 'fence-device'; readonly device: 'power' | 'failing' | 'slow' }
  | {
      readonly kind: 'request';
      readonly node: number;
      readonly service: number;
      readonly request: 'enable' | 'disable' | 'relocate' | 'restart' | 'freeze' | 'unfreeze';
    };

export function describeStep(s: FaultStep): string {
  return Object.entries(s)
    .map(([k, v]) => (k === 'kind' ? String(v) : `${k}=${v}`))
    .join(' ');
}

/** Applies one step; `services` are the service ids, nodes are picked by index. */
export function applyStep(
  world: ControllerWorld,
  step: FaultStep,
  services: readonly string[],
  n: number,
): void {
  const node = (i: number) => world.ids[i % world.ids.length]!;
  const service = (i: number) => services[i % services.length]!;
  switch (step.kind) {
    case 'tick':
      world.tick(step.ticks);
      return;
    case 'kill':
      world.kill(node(step.node));
      return;
    case 'restart':
      if (world.isUp(node(step.node))) world.restart(node(step.node));
      return;
    case 'boot':
      if (!world.isUp(node(step.node))) world.boot(node(step.node));
      return;
    case 'isolate':
      world.isolate(node(step.node));
      return;
    case 'cut':
      world.cut.add(`${node(step.from)}>${node(step.to)}`);
      return;
    case 'recover':
      world.recover();
      return;
    case 'crash': {
      const id = service(step.service);
      world.agents.crash(node(step.node), id, `script:app${services.indexOf(id) + 1}`);
      return;
    }
    case 'agent-fault':
      world.agents.fault(node(step.node), '*', step.action, step.fault);
      return;
    case 'fence-device':
      world.fences.setKind('pdu', step.device);
      return;
    case 'request': {
      const id = `req${n}`;
      const request = { kind: step.request, service: service(step.service) } as const;
      world.step(node(step.node), { type: 'rm-request', id, request });
    }
  }
}

/** Faults stop: links heal, agents and fence devices work, every node is powered on. */
export function heal(world: ControllerWorld): void {
  world.recover();
  world.agents.clearFaults();
  world.fences.setKind('pdu', 'power');
  for (const id of world.ids) if (!world.isUp(id)) world.boot(id);
}
