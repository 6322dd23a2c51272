// The console's long SSH work (create a cluster, add, delete a node, delete a cluster) as tasks:
// each has an id, per-node step progress as the bootstrap reports it, and an end (done, or the
// failures and what was undone). Browsers follow a task live. A task holds no secret: the
// request with its passwords and keys lives only in the closure of the work that uses it, and
// is gone when that work ends.
import { randomBytes } from 'node:crypto';
import type { TaskFailure, TaskKind, TaskNode, TaskView } from '@quorate/protocol';
import type { BootstrapProgress } from './node-run.js';

export interface TaskEnd {
  readonly ok: boolean;
  readonly summary: string;
  readonly failures?: readonly TaskFailure[];
  readonly undone?: readonly string[];
}

export interface TaskContext {
  /** One step event from the bootstrap (or the console's own steps: register, uninstall). */
  progress(event: BootstrapProgress | ConsoleStepEvent): void;
}

export interface ConsoleStepEvent {
  readonly node: string;
  readonly step: 'register' | 'stop' | 'uninstall';
  readonly state: 'running' | 'done' | 'failed';
  readonly detail?: string;
}

interface TaskRecord {
  view: TaskView;
  readonly createdBy: string;
  readonly listeners: Set<(view: TaskView) => void>;
}

/** Finished tasks kept for late viewers; running ones are always kept. */
const KEEP_FINISHED = 50;

export class BootstrapTasks {
  private readonly tasks = new Map<string, TaskRecord>();

  constructor(private readonly now: () => number) {}

  /**
   * Starts `work` and returns the task at once. `nodes` are the hosts the progress view lists
   * from the start (in form order). A thrown error ends the task as failed with its message.
   */
  start(
    options: {
      kind: TaskKind;
      cluster: string;
      subject?: string;
      createdBy: string;
      nodes: readonly string[];
    },
    work: (context: TaskContext) => Promise<TaskEnd>,
  ): TaskView {
    const id = randomBytes(12).toString('base64url');
    const record: TaskRecord = {
      createdBy: options.createdBy,
      listeners: new Set(),
      view: {
        id,
        kind: options.kind,
        cluster: options.cluster,
        subject: options.subject ?? null,
        state: 'running',
        startedAt: new Date(this.now()).toISOString(),
        finishedAt: null,
        nodes: options.nodes.map((node) => ({ node, steps: [] })),
        failures: [],
        undone: [],
        summary: null,
      },
    };
    this.tasks.set(id, record);
    this.forgetOld();
    const context: TaskContext = { progress: (event) => this.record(record, event) };
    void work(context)
      .catch(
        (error: unknown): TaskEnd => ({
          ok: false,
          summary: `the console failed: ${(error as Error).message}`,
        }),
      )
      .then((end) => this.finish(record, end));
    return record.view;
  }

  /** The task, if `user` may see it: its creator, or any administrator. */
  viewFor(id: string, user: { name: string; admin: boolean }): TaskView | undefined {
    const record = this.tasks.get(id);
    if (!record || (!user.admin && record.createdBy !== user.name)) return undefined;
    return record.view;
  }

  /** Whether a creation of `cluster` is running (a second one is refused). */
  creating(cluster: string): boolean {
    return [...this.tasks.values()].some(
      (r) =>
        r.view.kind === 'create-cluster' &&
        r.view.cluster === cluster &&
        r.view.state === 'running',
    );
  }

  /** Calls `listener` with the whole task on every change; returns the unsubscribe. */
  subscribe(id: string, listener: (view: TaskView) => void): () => void {
    const record = this.tasks.get(id);
    if (!record) return () => undefined;
    record.listeners.add(listener);
    return () => record.listeners.delete(listener);
  }

  /** Resolves once the task has ended (tests and the delete flows wait on it). */
  settled(id: string): Promise<TaskView> {
    const record = this.tasks.get(id);
    if (!record) return Promise.reject(new Error(`no task ${id}`));
    if (record.view.state !== 'running') return Promise.resolve(record.view);
    return new Promise((resolve) => {
      const unsubscribe = this.subscribe(id, (view) => {
        if (view.state === 'running') return;
        unsubscribe();
        resolve(view);
      });
    });
  }

  private record(record: TaskRecord, event: BootstrapProgress | ConsoleStepEvent): void {
    const nodes: TaskNode[] = [...record.view.nodes];
    let index = nodes.findIndex((entry) => entry.node === event.node);
    if (index < 0) {
      nodes.push({ node: event.node, steps: [] });
      index = nodes.length - 1;
    }
    const entry = nodes[index]!;
    // A step appears once: its running entry is replaced by its end.
    const steps = entry.steps.filter((step) => step.step !== event.step);
    steps.push({
      step: event.step,
      state: event.state,
      ...(event.detail === undefined ? {} : { detail: event.detail.slice(0, 8000) }),
    });
    nodes[index] = { node: entry.node, steps };
    this.update(record, { nodes });
  }

  private finish(record: TaskRecord, end: TaskEnd): void {
    this.update(record, {
      state: end.ok ? 'done' : 'failed',
      finishedAt: new Date(this.now()).toISOString(),
      failures: [...(end.failures ?? [])],
      undone: [...(end.undone ?? [])],
      summary: end.summary,
    });
    record.listeners.clear();
  }

  private update(record: TaskRecord, change: Partial<TaskView>): void {
    record.view = { ...record.view, ...change };
    for (const listener of [...record.listeners]) listener(record.view);
  }

  private forgetOld(): void {
    const finished = [...this.tasks.values()].filter((r) => r.view.state !== 'running');
    for (const record of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.tasks.delete(record.view.id);
    }
  }
}
