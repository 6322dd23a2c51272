import { serviceStateCodes } from '@quorate/core';
import type { ClusterStatus, MemberStatus, ServiceStatus } from '@quorate/protocol';
import type { WallClock } from '../command-io.js';
import { column, ctime, xmlAttribute } from '../text/time-format.js';

// clustat's output, as rgmanager's clustat printed it (rhcs.md §3.1): the same columns, the
// same words, the same exit codes, so scripts that parse it keep working.

export interface ClustatView {
  /** -m: only this member (and exit 1 when it is not online). */
  readonly member?: string;
  /** -s: only this service id (and exit with its state code unless it is running). */
  readonly service?: string;
  /** -l: the long service format. */
  readonly long?: boolean;
  /** Terminal width; 80 when stdout is not a terminal. */
  readonly columns?: number;
}

export interface ClustatOutput {
  readonly text: string;
  readonly exitCode: number;
}

/** rgmanager's MAXHOSTNAMELEN cap on a column. */
const maxColumn = 64;
const stateColumn = 14;
/** rgmanager's RG_FLAG_FROZEN and RG_FLAG_PARTIAL. */
const frozenFlag = 1;
const partialFlag = 2;

/** Services in these states show their last owner, in parentheses. */
const showsLastOwner = new Set(['stopped', 'disabled', 'failed']);
/** -s exits 0 for these; any other state exits with its numeric code. */
const runningStates = new Set(['starting', 'started', 'stopping']);

export function sortedMembers(status: ClusterStatus): MemberStatus[] {
  // Down nodes that are not in cluster.conf are not shown.
  return status.members
    .filter((m) => m.online || !m.estranged)
    .sort((a, b) => a.nodeId - b.nodeId || (a.name < b.name ? -1 : 1));
}

export function sortedServices(status: ClusterStatus): ServiceStatus[] {
  return [...status.services].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function serviceFlags(service: ServiceStatus): number {
  return (service.frozen ? frozenFlag : 0) | (service.partial ? partialFlag : 0);
}

export function serviceFlagNames(service: ServiceStatus): string[] {
  return [...(service.frozen ? ['frozen'] : []), ...(service.partial ? ['partial'] : [])];
}

export function serviceExitCode(service: ServiceStatus | undefined): number {
  if (!service) return 255;
  return runningStates.has(service.state) ? 0 : serviceStateCodes[service.state];
}

function memberLine(m: MemberStatus, width: number): string {
  const flags = [
    m.online ? 'Online' : 'Offline',
    ...(m.local ? ['Local'] : []),
    ...(m.estranged ? ['Estranged'] : []),
    ...(m.rgmanager ? ['rgmanager'] : []),
  ];
  return ` ${column(m.name, width)} ${String(m.nodeId).padStart(4)} ${flags.join(', ')}\n`;
}

function memberTable(members: readonly MemberStatus[], columns: number): string {
  const width = Math.min(Math.floor(columns / 2), maxColumn);
  const header =
    ` ${column('Member Name', width)}ID   Status\n` +
    ` ${column('------ ----', width)}---- ------\n`;
  return `${header}${members.map((m) => memberLine(m, width)).join('')}\n`;
}

function serviceLine(s: ServiceStatus, width: number): string {
  const owner = showsLastOwner.has(s.state)
    ? `(${(s.lastOwner ?? 'none').slice(0, width - 2)})`
    : (s.owner ?? 'none');
  const letters = `${s.frozen ? 'Z' : ''}${s.partial ? 'P' : ''}`;
  // A flagged state is not cut to the column, so its [Z]/[P] always shows.
  const state = letters ? `${s.state.padEnd(10)}[${letters}]` : column(s.state, stateColumn);
  return ` ${column(s.id, width)} ${column(owner, width)} ${state}\n`;
}

function longServiceLines(s: ServiceStatus, clock: Pick<WallClock, 'utcOffsetMinutes'>): string {
  const flags = serviceFlags(s);
  return [
    `Service Name      : ${s.id}`,
    `  Current State   : ${s.state} (${serviceStateCodes[s.state]})`,
    `  Flags           : ${flags ? serviceFlagNames(s).join(', ') : 'none'} (${flags})`,
    `  Owner           : ${s.owner ?? 'none'}`,
    `  Last Owner      : ${s.lastOwner ?? 'none'}`,
    `  Last Transition : ${ctime(s.lastTransitionMs, clock)}`,
    '',
    '',
  ].join('\n');
}

function serviceTable(
  services: readonly ServiceStatus[],
  view: ClustatView,
  clock: Pick<WallClock, 'utcOffsetMinutes'>,
): string {
  if (view.long) {
    const body = services.map((s) => longServiceLines(s, clock)).join('');
    return `Service Information\n------- -----------\n\n${body}`;
  }
  const columns = view.columns ?? 80;
  const width = Math.min(Math.floor((columns - (stateColumn + 6)) / 2), maxColumn);
  const header =
    ` ${column('Service Name', width)} ${column('Owner (Last)', width)} ${column('State', stateColumn)}\n` +
    ` ${column('------- ----', width)} ${column('----- ------', width)} ${column('-----', stateColumn)}\n`;
  return `${header}${services.map((s) => serviceLine(s, width)).join('')}`;
}

/** `clustat` as text: what it prints now (`clock.nowMs()`) and the exit status. */
export function formatClustat(
  status: ClusterStatus,
  view: ClustatView,
  clock: WallClock,
): ClustatOutput {
  const { member, service } = view;
  let text = '';
  if (member === undefined && service === undefined) {
    text += `Cluster Status for ${status.cluster.name} @ ${ctime(clock.nowMs(), clock)}\n`;
    text += `Member Status: ${status.quorum.quorate ? 'Quorate' : 'Inquorate'}\n\n`;
    if (!status.resourceManager.running) {
      text += 'Resource Group Manager not running; no service information available.\n\n';
    }
  }
  let exitCode = 0;
  if (service === undefined || member !== undefined) {
    const members = sortedMembers(status).filter((m) => member === undefined || m.name === member);
    text += memberTable(members, view.columns ?? 80);
    if (member !== undefined) exitCode = members.some((m) => m.online) ? 0 : 1;
  }
  if (service === undefined && member !== undefined) return { text, exitCode };
  // rgmanager printed no service table at all when it knew no services.
  const services = status.resourceManager.running ? sortedServices(status) : [];
  const shown = services.filter((s) => service === undefined || s.id === service);
  if (services.length > 0) text += serviceTable(shown, view, clock);
  if (service !== undefined) exitCode = serviceExitCode(shown[0]);
  return { text, exitCode };
}

/** `clustat -x`: rgmanager's XML (clustat version 4.1.1), with attribute values escaped. */
export function formatClustatXml(
  status: ClusterStatus,
  view: ClustatView,
  clock: Pick<WallClock, 'utcOffsetMinutes'>,
): ClustatOutput {
  const { member, service } = view;
  const lines = ['<?xml version="1.0"?>', '<clustat version="4.1.1">'];
  if (member === undefined && service === undefined) {
    const { name, id, generation } = status.cluster;
    lines.push(`  <cluster name="${xmlAttribute(name)}" id="${id}" generation="${generation}"/>`);
    const local = status.members.find((m) => m.local);
    const groupMember = status.quorum.quorate && local?.rgmanager === true;
    lines.push(
      `  <quorum quorate="${status.quorum.quorate ? 1 : 0}" groupmember="${groupMember ? 1 : 0}"/>`,
    );
  }
  let exitCode = 0;
  if (service === undefined || member !== undefined) {
    const members = sortedMembers(status).filter((m) => member === undefined || m.name === member);
    lines.push('  <nodes>', ...members.map(xmlMember), '  </nodes>');
    if (member !== undefined) exitCode = members.some((m) => m.online) ? 0 : 1;
  }
  const services = status.resourceManager.running ? sortedServices(status) : [];
  if (services.length > 0 && (member === undefined || service !== undefined)) {
    const shown = services.filter((s) => service === undefined || s.id === service);
    lines.push('  <groups>', ...shown.map((s) => xmlService(s, clock)), '  </groups>');
  }
  if (service !== undefined && exitCode === 0) {
    exitCode = serviceExitCode(services.find((s) => s.id === service));
  }
  lines.push('</clustat>');
  return { text: `${lines.join('\n')}\n`, exitCode };
}

const bit = (b: boolean) => (b ? 1 : 0);

function xmlMember(m: MemberStatus): string {
  const nodeid = `0x${m.nodeId.toString(16).padStart(8, '0')}`;
  return (
    `    <node name="${xmlAttribute(m.name)}" state="${bit(m.online)}" local="${bit(m.local)}"` +
    ` estranged="${bit(m.estranged)}" rgmanager="${bit(m.rgmanager)}" rgmanager_master="0"` +
    ` qdisk="0" nodeid="${nodeid}"/>`
  );
}

function xmlService(s: ServiceStatus, clock: Pick<WallClock, 'utcOffsetMinutes'>): string {
  const attributes: [string, string | number][] = [
    ['name', s.id],
    ['state', serviceStateCodes[s.state]],
    ['state_str', s.state],
    ['flags', serviceFlags(s)],
    ['flags_str', serviceFlagNames(s).join(' ')],
    ['owner', s.owner ?? 'none'],
    ['last_owner', s.lastOwner ?? 'none'],
    ['restarts', s.restarts],
    ['last_transition', Math.floor(s.lastTransitionMs / 1000)],
    ['last_transition_str', ctime(s.lastTransitionMs, clock)],
  ];
  const text = attributes.map(([k, v]) => `${k}="${xmlAttribute(String(v))}"`).join(' ');
  return `    <group ${text}/>`;
}
