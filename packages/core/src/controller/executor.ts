// Every node's executor: it acts only on what the COMMITTED log assigns to its node (a start
// only on a record written in the current term), runs each service's resources one operation at
// a time in the tree's order, checks status at each agent's intervals and depths, recovers
// independent subtrees in place, probes at startup, and emergency-stops everything it runs when
// it has lost the cluster for its service lease. Results go to the leader as reports.
import type { NodeId } from '../consensus/types.js';
import { activeStates, serviceState } from '../resource-manager/model.js';
import { configChangeJobs, type PlannedConfig } from './config-change-jobs.js';
import {
  type Job,
  type JobKind,
  newJob,
  probeSteps,
  type Step,
  startSteps,
  stopSteps,
} from './jobs.js';
import {
  type ControllerState,
  declaredLost,
  probeCurrent,
  type RecordMark,
} from './replicated-state.js';
import type { ServicePlan, SubtreePolicy } from './service-plan.js';
import type { AgentOp, ControllerBug, ControllerEvent, ReportOp } from './types.js';

export interface ExecutorView {
  readonly now: number;
  readonly tickMs: number;
  readonly term: number;
  /** Following (or being) a quorate leader. */
  readonly quorate: boolean;
  readonly state: ControllerState;
  readonly plans: ReadonlyMap<string, ServicePlan>;
  /** Ticks without a quorate leader after which local services are emergency-stopped. */
  readonly serviceLeaseTicks: number;
  /** The committed cluster.conf lists this node; once it does not, nothing may run here. */
  readonly configured: boolean;
}

export interface Report {
  readonly service: string;
  readonly op: ReportOp;
  readonly ok: boolean;
  readonly partial?: boolean;
  readonly transition: number;
}

export interface ExecutorSink {
  op(op: AgentOp): void;
  report(report: Report): void;
  event(event: ControllerEvent): void;
}

/** A failed emergency stop is tried again after this many ticks, as long as the node is cut off. */
const EMERGENCY_RETRY_TICKS = 10;

type EmergencyReason = 'lease' | 'not-owner' | 'declared-lost' | 'removed' | 'leaving';

const reportOf: Partial<Record<JobKind, ReportOp>> = {
  start: 'start',
  stop: 'stop',
  migrate: 'migrate',
};

export class Executor {
  private readonly jobs = new Map<string, Job>();
  private readonly ops = new Map<string, Job>();
  /** Services whose resources may run here (started at least in part, not yet stopped). */
  readonly active = new Set<string>();
  /** The last transition report per service, re-sent until the record moves on. */
  private readonly done = new Map<string, Report>();
  private readonly due = new Map<string, { transition: number; at: Map<string, number> }>();
  private readonly failures = new Map<string, number[]>();
  /** Stopped non-critical subtrees per service (the partial flag), for convalesce. */
  private readonly parked = new Map<string, Set<string>>();
  private probing = new Set<string>();
  probeDone = false;
  /** `cman_tool leave`: stop everything here and start nothing (see `quiet`). */
  leaving = false;
  private lastQuorateTick = 0;
  /** In-place restart times of independent subtrees, by path (local: rgmanager's were too). */
  private readonly subtreeRestarts = new Map<string, number[]>();
  /** Work queued for a service that was busy: config changes to apply once it is free. */
  private readonly queued = new Map<string, Job>();
  /** Services a superseded start touched after their emergency stop began: stop them again. */
  private readonly lateStarts = new Set<string>();
  /** When an emergency stop that failed may be tried again. */
  private readonly retryAt = new Map<string, number>();
  private seq = 0;

  constructor(
    readonly self: NodeId,
    readonly incarnation: number,
    private readonly sink: ExecutorSink,
    private readonly plant: ControllerBug | null,
  ) {}

  /** Probes every resource of every service before the node takes part (DESIGN.md §2, Restart). */
  startProbe(view: ExecutorView): void {
    for (const plan of view.plans.values()) {
      this.probing.add(plan.id);
      this.begin(newJob('probe', plan.id, 0, probeSteps(plan)), view);
    }
    if (this.probing.size === 0) this.finishProbe(view);
  }

  /**
   * Nothing of any service runs here and no operation is out: what a clean leave promises its
   * peers, which then recover its services without fencing it.
   */
  quiet(): boolean {
    return this.probeDone && this.active.size === 0 && this.ops.size === 0;
  }

  /** What may run here: what the probe found, and since then what this node started. */
  probeResult(): string[] {
    return [...this.active].sort();
  }

  /** Brings local work in line with the committed state; called on every tick and commit. */
  reconcile(view: ExecutorView): void {
    if (view.quorate) this.lastQuorateTick = view.now;
    if (!this.probeDone) return;
    if (declaredLost(view.state, this.self, this.incarnation)) {
      // The leader no longer hears this node (a one-way cut): it will be fenced, and its
      // services recovered elsewhere. Stop everything now and probe again.
      this.emergencyStopAll(view, 'declared-lost');
      return;
    }
    if (this.leaving) {
      this.emergencyStopAll(view, 'leaving');
      return;
    }
    if (!view.configured) {
      // Removed from the cluster: whatever the log still says of this node, it runs nothing.
      this.emergencyStopAll(view, 'removed');
      return;
    }
    if (!view.quorate && view.now - this.lastQuorateTick >= view.serviceLeaseTicks) {
      this.emergencyStopAll(view, 'lease');
      return;
    }
    for (const plan of view.plans.values()) this.reconcileService(plan, view);
    this.resendReports(view);
  }

  private reconcileService(plan: ServicePlan, view: ExecutorView): void {
    const id = plan.id;
    const s = serviceState(view.state.rm, id);
    const mark = view.state.marks[id];
    const mine = s.owner === this.self;
    const job = this.jobs.get(id);
    if (job) {
      const current = mine && mark?.transition === job.transition;
      if (job.kind === 'start' && !(current && s.state === 'starting')) job.cancelled = true;
      return;
    }
    const queued = this.queued.get(id);
    if (queued) {
      this.queued.delete(id);
      if (mine && s.state === 'started')
        this.begin(newJob(queued.kind, id, mark?.transition ?? 0, queued.steps), view);
      return;
    }
    if (!(mine && activeStates.has(s.state))) {
      // Only once this process's probe is in the log is the log current enough to say so.
      const current = probeCurrent(view.state, this.self, this.incarnation);
      if (this.active.has(id) && current) this.emergencyStop(plan, view, 'not-owner');
      return;
    }
    if (!view.quorate || !mark) return;
    const reported = this.done.get(id)?.transition === mark.transition;
    if (s.state === 'starting' && !reported && this.mayStart(mark, view)) {
      this.active.add(id);
      this.parked.delete(id);
      this.begin(newJob('start', id, mark.transition, startSteps(plan.start)), view);
    } else if (s.state === 'stopping' && !reported) {
      this.begin(newJob('stop', id, mark.transition, stopSteps(plan.stop)), view);
    } else if (s.state === 'migrating' && s.pending?.kind === 'migrate' && !reported) {
      if (this.mayStart(mark, view)) this.migrate(plan, s.pending.node, mark.transition, view);
    } else if (s.state === 'started' && !s.frozen && this.probeInLog(view)) {
      this.checkStatus(plan, mark.transition, view);
    }
  }

  /**
   * The simulator (seeds 75, 80, 115, 129): before the log holds this process's probe, a
   * record that says a service runs here is the replayed log's word, not the current leader's;
   * a failed status check then restarted resources in place on it (DESIGN.md §2, Restart).
   */
  private probeInLog(view: ExecutorView): boolean {
    return probeCurrent(view.state, this.self, this.incarnation);
  }

  /** Live migration moves the root resource (a vm) with everything in it. */
  private migrate(plan: ServicePlan, target: string, transition: number, view: ExecutorView) {
    const root = plan.start[0];
    if (!root) return;
    const timeoutMs = root.migrateTimeoutMs;
    const step = { plan: root, action: 'migrate' as const, depth: 0, timeoutMs, target };
    this.begin(newJob('migrate', plan.id, transition, [step]), view);
  }

  /**
   * A start needs a record written in the current term after the leader accepted this
   * process's probe: never one replayed from the log, nor one written before a restart.
   */
  private mayStart(mark: RecordMark, view: ExecutorView): boolean {
    if (this.plant === 'start-from-replayed-log') return true;
    const probed = view.state.probed[this.self];
    if (!probed || !probeCurrent(view.state, this.self, this.incarnation)) return false;
    return mark.index > probed.index && mark.term === view.term;
  }

  private emergencyStopAll(view: ExecutorView, reason: EmergencyReason): void {
    for (const id of [...this.active]) {
      const plan = view.plans.get(id);
      const job = this.jobs.get(id);
      if (!plan || job?.kind === 'emergency' || (this.retryAt.get(id) ?? 0) > view.now) continue;
      this.retryAt.set(id, view.now + EMERGENCY_RETRY_TICKS);
      // Whatever runs (a hung status check, a start) is abandoned: its result is ignored.
      if (job) job.cancelled = true;
      this.emergencyStop(plan, view, reason);
    }
  }

  private emergencyStop(plan: ServicePlan, view: ExecutorView, reason: EmergencyReason): void {
    this.sink.event({ type: 'emergency-stop', service: plan.id, reason });
    this.begin(newJob('emergency', plan.id, 0, stopSteps(plan.stop)), view);
  }

  /** rgmanager's do_status: per resource, the deepest check whose interval has passed. */
  private checkStatus(plan: ServicePlan, transition: number, view: ExecutorView): void {
    let sched = this.due.get(plan.id);
    if (!this.active.has(plan.id)) {
      // Started here without this process (migrated in, or stopped while the cluster was
      // away): check every resource now rather than trust either.
      this.active.add(plan.id);
      sched = this.schedule(plan, transition, view, true);
    } else if (sched?.transition !== transition) {
      sched = this.schedule(plan, transition, view, false);
    }
    const steps: Step[] = [];
    const parked = this.parked.get(plan.id);
    for (const r of plan.start) {
      // A stopped non-critical subtree is not checked until convalesce starts it again.
      if (r.subtree && parked?.has(r.subtree.path)) continue;
      const at = (depth: number) => sched.at.get(`${r.path}@${depth}`) ?? Infinity;
      const dueChecks = r.statusChecks.filter((c) => at(c.depth) <= view.now);
      const deepest = dueChecks.at(-1);
      if (!deepest) continue;
      for (const c of dueChecks) {
        sched.at.set(`${r.path}@${c.depth}`, view.now + this.ticks(c.intervalMs, view));
      }
      steps.push({ plan: r, action: 'status', depth: deepest.depth, timeoutMs: deepest.timeoutMs });
    }
    if (steps.length > 0) this.begin(newJob('status', plan.id, transition, steps), view);
  }

  /** Every check of every resource first falls due one interval from now (or now). */
  private schedule(plan: ServicePlan, transition: number, view: ExecutorView, now: boolean) {
    const sched = { transition, at: new Map<string, number>() };
    for (const r of plan.start) {
      for (const c of r.statusChecks) {
        const first = now ? view.now : view.now + this.ticks(c.intervalMs, view);
        sched.at.set(`${r.path}@${c.depth}`, first);
      }
    }
    this.due.set(plan.id, sched);
    return sched;
  }

  private ticks(ms: number, view: ExecutorView): number {
    return Math.max(1, Math.ceil(ms / view.tickMs));
  }

  /** A newer cluster.conf is committed: the services running here apply what changed. */
  configChanged(before: PlannedConfig, after: PlannedConfig, view: ExecutorView): void {
    for (const job of configChangeJobs(before, after, view.state.rm, this.self)) {
      if (!this.active.has(job.service)) continue;
      this.sink.event({
        type: 'controller-log',
        message: `applying the new cluster.conf to ${job.service} on ${this.self}`,
      });
      if (job.kind === 'emergency') this.begin(job, view);
      else this.queued.set(job.service, job);
    }
  }

  /** The leader asked to restart the stopped non-critical subtrees (clusvcadm -c). */
  convalesce(plan: ServicePlan, transition: number, view: ExecutorView): void {
    if (this.jobs.has(plan.id)) return;
    const parked = [...(this.parked.get(plan.id) ?? [])];
    const steps = parked.flatMap((path) => startSteps(plan.subtrees.get(path)?.start ?? []));
    this.begin(newJob('convalesce', plan.id, transition, steps, parked), view);
  }

  private begin(job: Job, view: ExecutorView): void {
    this.jobs.set(job.service, job);
    this.pump(job, view);
  }

  private pump(job: Job, view: ExecutorView): void {
    if (job.inFlight !== null) return;
    const stopEarly = job.cancelled || (!job.ok && job.kind !== 'stop' && job.kind !== 'emergency');
    const step = stopEarly ? undefined : job.steps[job.next];
    if (!step) {
      this.complete(job, view);
      return;
    }
    const opId = `${this.self}.${this.incarnation}.${++this.seq}`;
    job.inFlight = opId;
    this.ops.set(opId, job);
    this.sink.op({
      opId,
      service: job.service,
      resource: step.plan.key,
      type: step.plan.type,
      action: step.action,
      depth: step.depth,
      timeoutMs: step.timeoutMs,
      params: step.plan.params,
      purpose: purposeOf(job.kind),
      ...(step.target === undefined ? {} : { target: step.target }),
    });
  }

  /** An agent operation finished with OCF exit `code`; false when the op is not ours. */
  agentResult(opId: string, code: number, view: ExecutorView): boolean {
    const job = this.ops.get(opId);
    if (!job) return false;
    this.ops.delete(opId);
    job.inFlight = null;
    const step = job.steps[job.next++]!;
    // The simulator (seed 328): a start abandoned for an emergency stop finished after that
    // stop had passed its resource, and the node left with it running. What a late start
    // touched is stopped once more (a stop of a stopped resource succeeds).
    if (step.action === 'start' && job.cancelled && this.jobs.get(job.service) !== job) {
      this.active.add(job.service);
      this.lateStarts.add(job.service);
    }
    // A probe's 7 (not running) and 5 (agent not installed here, so nothing of it can run, as
    // Pacemaker reads it) say the resource is stopped; anything else may mean it runs.
    if (job.kind === 'probe') job.running ||= code !== 7 && code !== 5;
    else if (job.kind === 'status') this.statusResult(job, step, code === 0, view);
    else if (code !== 0) job.ok = false;
    this.pump(job, view);
    return true;
  }

  /** A failed check below `__max_failures` counts as success; a subtree's failure is its own. */
  private statusResult(job: Job, step: Step, ok: boolean, view: ExecutorView): void {
    if (ok) return;
    const r = step.plan;
    const nowMs = view.now * view.tickMs;
    const recent = (this.failures.get(r.key) ?? []).filter(
      (t) => r.failureExpireMs === 0 || t > nowMs - r.failureExpireMs,
    );
    recent.push(nowMs);
    this.failures.set(r.key, recent);
    if (recent.length <= r.maxFailures) return;
    job.ok = false;
    if (r.subtree) job.followUp = r.subtree;
  }

  private complete(job: Job, view: ExecutorView): void {
    if (this.jobs.get(job.service) === job) this.jobs.delete(job.service);
    if (job.cancelled && job.kind !== 'start') return;
    const report = reportOf[job.kind];
    if (report) {
      if ((job.kind === 'stop' || job.kind === 'migrate') && job.ok)
        this.active.delete(job.service);
      if (!job.cancelled)
        this.sendReport({
          service: job.service,
          op: report,
          ok: job.ok,
          transition: job.transition,
        });
    } else if (job.kind === 'emergency' && job.ok) {
      if (!this.lateStarts.delete(job.service)) this.active.delete(job.service);
    } else if (job.kind === 'probe') this.probeFinished(job, view);
    else this.localWorkDone(job, view);
  }

  private localWorkDone(job: Job, view: ExecutorView): void {
    const plan = view.plans.get(job.service);
    const t = job.transition;
    if (job.kind === 'status') {
      if (job.ok) return;
      const follow = job.followUp;
      const sub = follow && plan?.subtrees.get(follow.path);
      if (!plan || !follow || !sub || !this.mayRestartSubtree(follow, view)) {
        this.sink.report({ service: job.service, op: 'status', ok: false, transition: t });
        return;
      }
      const root = plan.start.find((r) => r.path === follow.path)?.key ?? follow.path;
      this.sink.event({ type: 'inline-recovery', service: job.service, resource: root });
      const steps = follow.nonCritical
        ? stopSteps(sub.stop)
        : [...stopSteps(sub.stop), ...startSteps(sub.start)];
      this.begin(
        newJob(follow.nonCritical ? 'non-critical' : 'inline', job.service, t, steps, [
          follow.path,
        ]),
        view,
      );
    } else if (job.kind === 'inline') {
      if (!job.ok)
        this.sink.report({ service: job.service, op: 'status', ok: false, transition: t });
    } else if (job.kind === 'non-critical') {
      if (job.ok) this.park(job.service, job.subtrees, true);
      this.sink.report({
        service: job.service,
        op: 'status',
        ok: job.ok,
        partial: job.ok,
        transition: t,
      });
    } else if (job.kind === 'config-change') {
      if (!job.ok)
        this.sink.report({ service: job.service, op: 'status', ok: false, transition: t });
    } else if (job.kind === 'convalesce') {
      if (job.ok) this.park(job.service, job.subtrees, false);
      this.sink.report({ service: job.service, op: 'convalesce', ok: job.ok, transition: t });
    }
  }

  /** An independent subtree restarts in place at most `__max_restarts` times in its window. */
  private mayRestartSubtree(subtree: SubtreePolicy, view: ExecutorView): boolean {
    if (subtree.nonCritical || subtree.maxRestarts === 0) return true;
    const nowMs = view.now * view.tickMs;
    const recent = (this.subtreeRestarts.get(subtree.path) ?? []).filter(
      (t) => subtree.restartExpireMs === 0 || t > nowMs - subtree.restartExpireMs,
    );
    if (recent.length >= subtree.maxRestarts) return false;
    this.subtreeRestarts.set(subtree.path, [...recent, nowMs]);
    return true;
  }

  private park(service: string, subtrees: readonly string[], stopped: boolean): void {
    const set = this.parked.get(service) ?? new Set<string>();
    for (const s of subtrees) {
      if (stopped) set.add(s);
      else set.delete(s);
    }
    this.parked.set(service, set);
  }

  private probeFinished(job: Job, view: ExecutorView): void {
    if (job.running) {
      this.active.add(job.service);
    }
    this.probing.delete(job.service);
    if (this.probing.size === 0) this.finishProbe(view);
  }

  private finishProbe(view: ExecutorView): void {
    this.probeDone = true;
    this.sink.event({ type: 'probe-complete', running: this.probeResult() });
    if (this.plant !== 'start-from-replayed-log') return;
    // Planted bug: resume what the replayed log says this node ran, without the leader.
    for (const plan of view.plans.values()) {
      const s = serviceState(view.state.rm, plan.id);
      if (s.owner !== this.self || (s.state !== 'started' && s.state !== 'starting')) continue;
      this.active.add(plan.id);
      this.begin(newJob('resume', plan.id, 0, startSteps(plan.start)), view);
    }
  }

  private sendReport(report: Report): void {
    this.done.set(report.service, report);
    this.sink.report(report);
  }

  /** Re-sends a transition's report while the committed record still waits for it. */
  private resendReports(view: ExecutorView): void {
    if (view.now % 10 !== 0) return;
    for (const report of this.done.values()) {
      const s = serviceState(view.state.rm, report.service);
      const waiting =
        (report.op === 'start' && s.state === 'starting') ||
        (report.op === 'stop' && s.state === 'stopping');
      if (waiting && view.state.marks[report.service]?.transition === report.transition)
        this.sink.report(report);
    }
  }
}

function purposeOf(kind: JobKind): AgentOp['purpose'] {
  switch (kind) {
    case 'start':
    case 'stop':
    case 'migrate':
    case 'resume':
      return 'transition';
    case 'status':
      return 'status';
    case 'probe':
      return 'probe';
    case 'emergency':
      return 'emergency-stop';
    case 'config-change':
      return 'config-change';
    default:
      return 'inline-recovery';
  }
}
