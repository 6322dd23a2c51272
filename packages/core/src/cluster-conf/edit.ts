import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import type { AgentCatalog } from '../agent-metadata/model.js';
import type { XmlElement } from '../xml/xml-tree.js';
import { withAttr } from '../xml/xml-tree.js';
import { setClusterProperties } from './edit-cluster.js';
import {
  addFailoverDomain,
  deleteDomainMember,
  deleteFailoverDomain,
  setDomainMember,
  updateFailoverDomain,
} from './edit-domains.js';
import { addFenceDevice, deleteFenceDevice, updateFenceDevice } from './edit-fence-devices.js';
import type { ConfigEdit, CreateClusterSpec } from './edit-model.js';
import { EditError } from './edit-model.js';
import {
  addFenceMethod,
  addMethodDevice,
  addNode,
  addUnfenceDevice,
  createDocument,
  deleteFenceMethod,
  deleteMethodDevice,
  deleteNode,
  deleteUnfenceDevice,
  setNodeProperties,
} from './edit-nodes.js';
import { addResource, deleteResource, updateResource } from './edit-resources.js';
import {
  addService,
  addServiceResource,
  deleteService,
  deleteServiceResource,
  updateService,
} from './edit-services.js';
import type { EditStep } from './edit-support.js';
import { checkDraft } from './edit-validity.js';
import type { ClusterConf } from './model.js';
import { readClusterConf } from './read.js';

export { fenceDeviceUsers } from './edit-fence-devices.js';
export { primaryAttribute } from './edit-resources.js';

export interface EditResult {
  readonly conf: ClusterConf;
  /** What the edit did beyond the obvious (a node also removed from domains, a chosen nodeid). */
  readonly notes: readonly string[];
}

function dispatch(conf: ClusterConf, edit: ConfigEdit, catalog?: AgentCatalog): EditStep {
  switch (edit.op) {
    case 'addNode':
      return addNode(conf, edit);
    case 'deleteNode':
      return deleteNode(conf, edit);
    case 'setNodeProperties':
      return setNodeProperties(conf, edit);
    case 'addFenceDevice':
      return addFenceDevice(conf, edit);
    case 'updateFenceDevice':
      return updateFenceDevice(conf, edit);
    case 'deleteFenceDevice':
      return deleteFenceDevice(conf, edit);
    case 'addFenceMethod':
      return addFenceMethod(conf, edit);
    case 'deleteFenceMethod':
      return deleteFenceMethod(conf, edit);
    case 'addMethodDevice':
      return addMethodDevice(conf, edit);
    case 'deleteMethodDevice':
      return deleteMethodDevice(conf, edit);
    case 'addUnfenceDevice':
      return addUnfenceDevice(conf, edit);
    case 'deleteUnfenceDevice':
      return deleteUnfenceDevice(conf, edit);
    case 'addFailoverDomain':
      return addFailoverDomain(conf, edit);
    case 'updateFailoverDomain':
      return updateFailoverDomain(conf, edit);
    case 'deleteFailoverDomain':
      return deleteFailoverDomain(conf, edit);
    case 'setDomainMember':
      return setDomainMember(conf, edit);
    case 'deleteDomainMember':
      return deleteDomainMember(conf, edit);
    case 'addResource':
      return addResource(conf, edit, catalog);
    case 'updateResource':
      return updateResource(conf, edit, catalog);
    case 'deleteResource':
      return deleteResource(conf, edit, catalog);
    case 'addService':
      return addService(conf, edit);
    case 'updateService':
      return updateService(conf, edit);
    case 'deleteService':
      return deleteService(conf, edit);
    case 'addServiceResource':
      return addServiceResource(conf, edit, catalog);
    case 'deleteServiceResource':
      return deleteServiceResource(conf, edit);
    case 'setClusterProperties':
      return setClusterProperties(conf, edit.changes);
  }
}

/** config_version + 1, as every RHCS tool does for each change (ccs_tool's increment_version). */
function bumpVersion(conf: ClusterConf, root: XmlElement): XmlElement {
  const raw = conf.attrs.config_version;
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) {
    throw new EditError(
      '/cluster/@config_version',
      raw === undefined
        ? 'config_version is missing: a change needs a version to increase'
        : `config_version "${raw}" is not a non-negative integer`,
    );
  }
  return withAttr(root, 'config_version', String(Number(raw.trim()) + 1));
}

function finish(conf: ClusterConf, root: XmlElement): ClusterConf {
  return readClusterConf({ ...conf.doc, root });
}

/**
 * Applies one edit: a new configuration with the change, config_version one higher, and a
 * valid draft (no error that the input did not already have). The input is never changed;
 * a refusal throws EditError naming the field and the rule.
 */
export function applyEditWithNotes(
  conf: ClusterConf,
  edit: ConfigEdit,
  catalog: AgentCatalog = builtinAgentCatalog,
): EditResult {
  if (conf.doc.root.name !== 'cluster') {
    throw new EditError(
      `/${conf.doc.root.name}`,
      `the root element is <${conf.doc.root.name}>; only a <cluster> config can be edited`,
    );
  }
  const changed = dispatch(conf, edit, catalog);
  const next = finish(conf, bumpVersion(conf, changed.root));
  checkDraft(conf, next, catalog);
  return { conf: next, notes: changed.notes };
}

export function applyEdit(
  conf: ClusterConf,
  edit: ConfigEdit,
  catalog?: AgentCatalog,
): ClusterConf {
  return applyEditWithNotes(conf, edit, catalog).conf;
}

/** Applies edits in order; the version grows by one per edit. */
export function applyEdits(
  conf: ClusterConf,
  edits: readonly ConfigEdit[],
  catalog: AgentCatalog = builtinAgentCatalog,
): ClusterConf {
  return edits.reduce((c, e) => applyEdit(c, e, catalog), conf);
}

/** A new configuration at config_version 1, as `ccs_tool create` writes it. */
export function createClusterConf(
  spec: CreateClusterSpec,
  catalog: AgentCatalog = builtinAgentCatalog,
): ClusterConf {
  const conf = readClusterConf(createDocument(spec));
  checkDraft(undefined, conf, catalog);
  return conf;
}
