import type { ConfigIssue } from '@quorate/protocol';
import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import type { AgentCatalog } from '../agent-metadata/model.js';
import { XmlInputError } from '../xml/xml-parse.js';
import type { ClusterConf } from './model.js';
import { parseClusterConf } from './read.js';
import {
  validateClusterAttributes,
  validateCman,
  validateFenceDaemon,
  validateLogging,
  validateRmAttributes,
  validateSchemaGeneration,
  validateTotem,
} from './validate-cluster.js';
import { validateFencing } from './validate-fencing.js';
import { validateInheritance } from './validate-inheritance.js';
import { validateNodes } from './validate-nodes.js';
import { validateResourceParameters } from './validate-parameters.js';
import { validateQuorum } from './validate-quorum.js';
import { validateResourceReferences } from './validate-resources.js';
import { validateServices } from './validate-services.js';
import { IssueSink, type ValidationLevel, type ValidationResult } from './validate-values.js';

/*
 * Validation rules. Level "draft": no edit may produce a config that breaks it. Level
 * "runnable": a config must meet it before a cluster starts with it. Draft errors are runnable
 * errors too; runnable-only rules are not reported for a draft.
 *
 * | rule                          | level    | what                                             |
 * |-------------------------------|----------|--------------------------------------------------|
 * | root-element                  | draft    | the root element is <cluster>                    |
 * | old-schema                    | draft    | no RHEL 4 <nodes>, <fence_devices>, <group>      |
 * | cluster-name-required         | runnable | /cluster/@name                                   |
 * | config-version-required       | runnable | /cluster/@config_version                         |
 * | not-an-integer                | draft    | integer attributes are decimal integers          |
 * | out-of-range                  | draft    | nodeid ≥ 1, votes ≥ 0, priority 1–100,           |
 * |                               |          | config_version ≥ 1, token 100–60000 ms, ports    |
 * |                               |          | 1–65535, post_join_delay ≥ -1, log_level 0–7, …  |
 * | not-a-boolean                 | draft    | flags are 1/0, yes/no, on/off, true/false        |
 * | not-one-of                    | draft    | transport udp/udpu/rdma, recovery restart/       |
 * |                               |          | relocate/disable/restart-disable, depend_mode    |
 * |                               |          | hard/soft, rrp_mode, select parameters, …        |
 * | not-a-time                    | draft    | rgmanager times (restart_expire_time, <action>)  |
 * | missing-attribute             | draft    | names of nodes, devices, domains, methods, …;    |
 * |                               |          | a fence device's agent; a resource's primary     |
 * | no-nodes                      | runnable | at least one <clusternode>                       |
 * | nodeid-required               | runnable | every node has a nodeid                          |
 * | duplicate-node-name           | draft    | node names are unique                            |
 * | duplicate-nodeid              | draft    | nodeids are unique (names the other node)        |
 * | duplicate-altname             | draft    | altnames unique among all names and altnames     |
 * | duplicate-fence-device        | draft    | fence device names are unique                    |
 * | unknown-fence-device          | draft    | <device name> names a <fencedevice>              |
 * | duplicate-fence-method        | draft    | method names are unique per node                 |
 * | two-node-count                | both     | two_node: at most two nodes (draft), exactly     |
 * |                               |          | two (runnable)                                   |
 * | two-node-votes                | draft    | two_node: one vote per node                      |
 * | two-node-expected-votes       | draft    | two_node: expected_votes 1 when written          |
 * | two-node-with-quorumd         | draft    | two_node and a quorum disk exclude each other    |
 * | quorumd-node-votes            | draft    | with a quorum disk every node has one vote       |
 * | quorumd-min-score-unreachable | draft    | min_score ≤ the heuristics' total score          |
 * | quorumd-device-required       | runnable | the quorum disk has a device or a label          |
 * | no-votes                      | runnable | the nodes have at least one vote                 |
 * | quorum-unreachable            | runnable | Q = floor(max(E, V) / 2) + 1 is at most V        |
 * | totem-consensus-too-short     | draft    | consensus ≥ 1.2 × token                          |
 * | invalid-ip-address            | draft    | ip address, multicast, totem and altname         |
 * |                               |          | addresses parse (IPv4/IPv6, prefix in range)     |
 * | not-multicast                 | draft    | <multicast addr> is a multicast address          |
 * | duplicate-domain              | draft    | failover domain names are unique                 |
 * | duplicate-domain-node         | draft    | a node is listed once per domain                 |
 * | unknown-domain-node           | draft*   | members are cluster nodes (*an <rm> fragment     |
 * |                               |          | without nodes is judged only when runnable)      |
 * | unknown-domain                | draft    | a service's domain exists                        |
 * | duplicate-service             | draft    | service (and vm) names unique, refs included     |
 * | invalid-dependency            | draft    | depend is written service:NAME or vm:NAME        |
 * | unknown-dependency            | draft    | depend and legacy <dependency>/<target> names    |
 * |                               |          | exist                                            |
 * | self-dependency               | draft    | a service does not depend on itself              |
 * | duplicate-resource            | draft    | primary values unique per type                   |
 * | duplicate-unique-parameter    | draft    | unique parameters unique per type (two fs with   |
 * |                               |          | one mountpoint)                                  |
 * | unknown-resource-ref          | draft    | a ref names a resource under <resources>         |
 * | ref-to-inline-resource        | draft    | a ref may not name an inline resource            |
 * | max-instances-exceeded        | draft    | uses ≤ the type's maxinstances (rgmanager only   |
 * |                               |          | warned); the message names every user            |
 * | missing-parameter             | draft    | required parameters, unless inherited            |
 * | not-a-root-type               | draft    | only root types (service, vm) under <rm>         |
 * | forbidden-child               | draft    | child types the parent's metadata forbids        |
 * | invalid-ocf-agent             | draft    | <ocf agent="PROVIDER:TYPE">                      |
 *
 * Warnings (both levels, never blocking): no-fencing, node-without-fencing,
 * empty-fence-method, expected-votes-below-total, two-nodes-without-two-node, quorumd-votes,
 * quorumd-timeout-exceeds-token, clean-start, multicast-unused, priority-ignored,
 * empty-restricted-domain, ignored-children, unknown-parameter, unknown-resource-type,
 * inherit-unresolved (an inherited parameter that nothing above the resource supplies).
 */

/**
 * Judges a cluster.conf at one of two levels. `errors` empty means the config passes that
 * level; `warnings` never block anything.
 */
export function validateClusterConf(
  conf: ClusterConf,
  level: ValidationLevel,
  catalog: AgentCatalog = builtinAgentCatalog,
): ValidationResult {
  const sink = new IssueSink(level);
  if (conf.doc.root.name !== 'cluster') {
    sink.error(
      `/${conf.doc.root.name}`,
      'root-element',
      `the root element is <${conf.doc.root.name}>; a cluster.conf starts with <cluster>`,
    );
    return sink.result();
  }
  validateSchemaGeneration(conf, sink);
  validateClusterAttributes(conf, sink);
  validateCman(conf, sink);
  validateTotem(conf, sink);
  validateFenceDaemon(conf, sink);
  validateLogging(conf, sink);
  validateNodes(conf, sink);
  validateFencing(conf, sink);
  validateQuorum(conf, sink);
  validateRmAttributes(conf, sink);
  validateServices(conf, sink);
  const index = validateResourceReferences(conf, catalog, sink);
  validateResourceParameters(conf, catalog, sink);
  validateInheritance(conf, index, catalog, sink);
  return sink.result();
}

/**
 * Parses and judges cluster.conf text: input that is not acceptable XML becomes one error with
 * the parser's code as its rule (`not-xml` for CONFIG_NOT_XML, `too-large`, `unsupported-xml`).
 */
export function validateClusterConfText(
  text: string,
  level: ValidationLevel,
  catalog: AgentCatalog = builtinAgentCatalog,
): ValidationResult {
  let conf: ClusterConf;
  try {
    conf = parseClusterConf(text);
  } catch (e) {
    if (!(e instanceof XmlInputError)) throw e;
    const rule = e.code
      .replace(/^CONFIG_/, '')
      .toLowerCase()
      .replace(/_/g, '-');
    const issue: ConfigIssue = { severity: 'error', path: '/', rule, message: e.message };
    return { errors: [issue], warnings: [] };
  }
  return validateClusterConf(conf, level, catalog);
}

export type { ValidationLevel, ValidationResult } from './validate-values.js';
