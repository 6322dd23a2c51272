// The `service` element is the root resource of every service tree, and the controller runs it
// like any other resource; rgmanager's service.sh did no work of its own. It runs here, in the
// daemon: start and stop record whether the service runs, status answers from that record, so
// a probe after a restart of the daemon finds what it left running. The record is a file per
// service in a folder that a reboot empties (a tmpfs such as /run), or memory when none is given.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentOp } from '@quorate/core';
import { ocfCodes } from '../agent-runner/ocf-outcome.js';

export const serviceRootType = 'service';

export interface ServiceMarks {
  isRunning(resource: string): boolean;
  markRunning(resource: string): void;
  markStopped(resource: string): void;
}

export function memoryServiceMarks(): ServiceMarks {
  const running = new Set<string>();
  return {
    isRunning: (resource) => running.has(resource),
    markRunning: (resource) => void running.add(resource),
    markStopped: (resource) => void running.delete(resource),
  };
}

/** One empty file per running service, named after its `service:NAME` (URI-encoded). */
export function directoryServiceMarks(dir: string): ServiceMarks {
  const path = (resource: string) => join(dir, `${encodeURIComponent(resource)}.running`);
  return {
    isRunning: (resource) => statSync(path(resource), { throwIfNoEntry: false }) !== undefined,
    markRunning: (resource) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(path(resource), '', { mode: 0o600 });
    },
    markStopped: (resource) => rmSync(path(resource), { force: true }),
  };
}

export interface ServiceRootResult {
  readonly code: number;
  /** Why it failed, when it did. */
  readonly message: string | undefined;
}

/** Runs a `service` root operation: OCF codes as an agent would return them. */
export function runServiceRoot(op: AgentOp, marks: ServiceMarks): ServiceRootResult {
  try {
    switch (op.action) {
      case 'start':
        marks.markRunning(op.resource);
        return { code: ocfCodes.success, message: undefined };
      case 'stop':
        marks.markStopped(op.resource);
        return { code: ocfCodes.success, message: undefined };
      case 'status': {
        const code = marks.isRunning(op.resource) ? ocfCodes.success : ocfCodes.notRunning;
        return { code, message: undefined };
      }
      case 'migrate':
        return { code: ocfCodes.unimplemented, message: 'a service root does not migrate' };
      case 'reconfig':
        // The root holds no state of its own beyond its marker: nothing to reconfigure.
        return { code: ocfCodes.success, message: undefined };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { code: ocfCodes.errGeneric, message };
  }
}
