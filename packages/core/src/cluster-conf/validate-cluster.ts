import { childElements } from '../xml/xml-tree.js';
import type { ClusterConf, Located } from './model.js';
import { childPaths } from './read.js';
import { parseIpAddress } from './validate-ip.js';
import {
  attrPath,
  checkBoolean,
  checkInteger,
  checkOneOf,
  type IssueSink,
  missing,
} from './validate-values.js';

/** Elements of the RHEL 4 (pre-cluster3) schema, by the parent they appear under. */
const oldSchemaElements: ReadonlyArray<readonly [parent: string, name: string, nowCalled: string]> =
  [
    ['cluster', 'nodes', '<clusternodes>'],
    ['cluster', 'fence_devices', '<fencedevices>'],
    ['rm', 'group', '<service>'],
    ['resources', 'group', '<service>'],
  ];

/**
 * Names the pre-cluster3 schema: its `<nodes>`, `<fence_devices>` and `<group>` are not read by
 * cluster3 (nor by Quorate), so such a file would start a cluster with no nodes and no services.
 */
export function validateSchemaGeneration(conf: ClusterConf, sink: IssueSink): void {
  const found: string[] = [];
  const scan = (parent: Located['el'], parentPath: string) => {
    const paths = childPaths(parentPath, parent);
    for (const child of childElements(parent)) {
      const old = oldSchemaElements.find(([p, n]) => p === parent.name && n === child.name);
      const line = old && `<${child.name}> (${paths.get(child)}; cluster3 uses ${old[2]})`;
      if (line && !found.some((f) => f.startsWith(`<${child.name}> `))) found.push(line);
      if (child.name === 'rm' || child.name === 'resources') scan(child, paths.get(child)!);
    }
  };
  scan(conf.doc.root, conf.path);
  if (found.length === 0) return;
  sink.error(
    conf.path,
    'old-schema',
    `this file uses the pre-cluster3 (RHEL 4) cluster.conf schema, which Quorate does not run: ` +
      `found ${found.join(', ')}`,
  );
}

export function validateClusterAttributes(conf: ClusterConf, sink: IssueSink): void {
  const cluster: Located = { path: conf.path, el: conf.doc.root, attrs: conf.attrs };
  if (missing(cluster, 'name')) {
    sink.runnableError(
      attrPath(cluster, 'name'),
      'cluster-name-required',
      'the cluster has no name; a cluster can only start with one',
    );
  }
  if (conf.attrs.config_version === undefined) {
    sink.runnableError(
      attrPath(cluster, 'config_version'),
      'config-version-required',
      'config_version is missing; a runnable config starts at 1 and grows with every change',
    );
  }
  checkInteger(sink, cluster, 'config_version', { min: 1 });
}

export function validateCman(conf: ClusterConf, sink: IssueSink): void {
  const cman = conf.cman;
  if (!cman) return;
  checkBoolean(sink, cman, 'two_node');
  checkInteger(sink, cman, 'expected_votes', { min: 1 });
  checkOneOf(sink, cman, 'transport', ['udp', 'udpu', 'rdma']);
  checkInteger(sink, cman, 'port', { min: 1, max: 65535 });
  checkInteger(sink, cman, 'cluster_id', { min: 0, max: 65535 });
  checkInteger(sink, cman, 'shutdown_timeout', { min: 0, unit: 'milliseconds' });
  checkInteger(sink, cman, 'quorum_dev_poll', { min: 1, unit: 'milliseconds' });
  checkBoolean(sink, cman, 'broadcast');
  const multicast = childElements(cman.el, 'multicast')[0];
  if (multicast === undefined) return;
  const mcPath = childPaths(cman.path, cman.el).get(multicast)!;
  const addr = multicast.attrs.find((a) => a.name === 'addr')?.value;
  if (addr !== undefined) {
    const parsed = parseIpAddress(addr);
    if (!parsed.ok) sink.error(attrPath(mcPath, 'addr'), 'invalid-ip-address', parsed.reason);
    else if (!parsed.ip.multicast) {
      sink.error(
        attrPath(mcPath, 'addr'),
        'not-multicast',
        `${addr} is not a multicast address (224.0.0.0/4 or ff00::/8)`,
      );
    }
  }
  if (cman.transport === 'udpu') {
    sink.warning(
      mcPath,
      'multicast-unused',
      'transport is udpu (unicast): the <multicast> address is not used',
    );
  }
}

/** Corosync refuses a consensus timeout shorter than 1.2 tokens. */
const consensusPerToken = 1.2;

function validateTotemInterfaces(totem: Located, sink: IssueSink): void {
  const paths = childPaths(totem.path, totem.el);
  for (const iface of childElements(totem.el, 'interface')) {
    const attrs = Object.fromEntries(iface.attrs.map((a) => [a.name, a.value]));
    const at: Located = { path: paths.get(iface)!, el: iface, attrs };
    checkInteger(sink, at, 'ringnumber', { min: 0, max: 1 });
    checkInteger(sink, at, 'mcastport', { min: 1, max: 65535 });
    for (const name of ['mcastaddr', 'bindnetaddr']) {
      const value = attrs[name];
      const parsed = value === undefined ? undefined : parseIpAddress(value);
      if (parsed && !parsed.ok) sink.error(attrPath(at, name), 'invalid-ip-address', parsed.reason);
    }
  }
}

export function validateTotem(conf: ClusterConf, sink: IssueSink): void {
  const totem = conf.totem;
  if (!totem) return;
  const ms = { unit: 'milliseconds' };
  const token = checkInteger(sink, totem, 'token', { min: 100, max: 60000, ...ms });
  checkInteger(sink, totem, 'join', { min: 10, max: 60000, ...ms });
  const consensus = checkInteger(sink, totem, 'consensus', { min: 100, max: 120000, ...ms });
  checkInteger(sink, totem, 'token_retransmits_before_loss_const', { min: 1, max: 100 });
  checkInteger(sink, totem, 'fail_recv_const', { min: 1, max: 100000 });
  checkInteger(sink, totem, 'miss_count_const', { min: 1, max: 100000 });
  checkInteger(sink, totem, 'window_size', { min: 1, max: 1000 });
  checkInteger(sink, totem, 'max_messages', { min: 1, max: 1000 });
  checkOneOf(sink, totem, 'rrp_mode', ['none', 'active', 'passive']);
  checkBoolean(sink, totem, 'secauth');
  validateTotemInterfaces(totem, sink);
  const tokenMs = token ?? 1000;
  if (consensus !== undefined && consensus < tokenMs * consensusPerToken) {
    sink.error(
      attrPath(totem, 'consensus'),
      'totem-consensus-too-short',
      `consensus (${consensus} ms) must be at least 1.2 × token (${tokenMs} ms), ` +
        `that is ${Math.ceil(tokenMs * consensusPerToken)} ms`,
    );
  }
}

export function validateFenceDaemon(conf: ClusterConf, sink: IssueSink): void {
  const fd = conf.fenceDaemon;
  if (!fd) return;
  const s = { unit: 'seconds' };
  checkInteger(sink, fd, 'post_join_delay', { min: -1, ...s });
  checkInteger(sink, fd, 'post_fail_delay', { min: 0, ...s });
  checkInteger(sink, fd, 'override_time', { min: 0, ...s });
  checkBoolean(sink, fd, 'clean_start');
  checkBoolean(sink, fd, 'skip_undefined');
  if (fd.cleanStart) {
    sink.warning(
      attrPath(fd, 'clean_start'),
      'clean-start',
      'clean_start is set: nodes not seen at startup are not fenced, so one that still runs ' +
        'services could corrupt shared data',
    );
  }
}

const syslogPriorities = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

function validateLoggingAttributes(at: Located, sink: IssueSink): void {
  checkBoolean(sink, at, 'to_syslog');
  checkBoolean(sink, at, 'to_logfile');
  checkBoolean(sink, at, 'debug');
  checkOneOf(sink, at, 'syslog_priority', syslogPriorities);
  checkOneOf(sink, at, 'logfile_priority', syslogPriorities);
}

export function validateLogging(conf: ClusterConf, sink: IssueSink): void {
  const logging = conf.logging;
  if (!logging) return;
  validateLoggingAttributes(logging, sink);
  const paths = childPaths(logging.path, logging.el);
  for (const daemon of childElements(logging.el, 'logging_daemon')) {
    const attrs = Object.fromEntries(daemon.attrs.map((a) => [a.name, a.value]));
    const at: Located = { path: paths.get(daemon)!, el: daemon, attrs };
    if (missing(at, 'name')) {
      sink.error(at.path, 'missing-attribute', '<logging_daemon> needs a name (the daemon)');
    }
    validateLoggingAttributes(at, sink);
  }
}

export function validateRmAttributes(conf: ClusterConf, sink: IssueSink): void {
  const rm = conf.rm;
  if (!rm) return;
  checkInteger(sink, rm, 'log_level', { min: 0, max: 7 });
  checkInteger(sink, rm, 'status_poll_interval', { min: 1, unit: 'seconds' });
  checkInteger(sink, rm, 'status_child_max', { min: 1 });
  checkInteger(sink, rm, 'transition_throttling', { min: 0, unit: 'seconds' });
  checkBoolean(sink, rm, 'central_processing');
}
