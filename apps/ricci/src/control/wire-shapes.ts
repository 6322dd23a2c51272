// Compile-time proof that the control protocol's shapes are the core's: if either side changes,
// the build fails here rather than a request failing at run time.
import type { ConfigRefusalRule, RmRequest, ServiceStateName } from '@quorate/core';
import type { ConfigUpdateResult, ControlAction, ServiceStatus } from '@quorate/protocol';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type WireRm = Extract<ControlAction, { type: 'rm' }>['request'];
type WireRefusal = Extract<ConfigUpdateResult, { accepted: false }>['rule'];

export const wireShapesMatchCore: [
  Same<WireRm, RmRequest>,
  Same<ServiceStatus['state'], ServiceStateName>,
  Same<WireRefusal, ConfigRefusalRule>,
] = [true, true, true];
