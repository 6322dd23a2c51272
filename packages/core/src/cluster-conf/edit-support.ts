import type { XmlElement } from '../xml/xml-tree.js';
import { EditError } from './edit-model.js';
import type { ClusterConf, ClusterNodeConf, FenceMethod, ResourceConf } from './model.js';

// Look-ups and argument checks shared by the edit operations; each refusal names the field.

/** What one edit operation produces: the new root and anything the user should be told. */
export interface EditStep {
  readonly root: XmlElement;
  readonly notes: readonly string[];
}

export function step(root: XmlElement, ...notes: string[]): EditStep {
  return { root, notes };
}

export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

export function requireName(value: string, path: string, what: string): void {
  if (value.trim() === '') throw new EditError(path, `${what} must not be empty`);
}

/**
 * Names that other elements refer to (fence devices, methods, domains, services): quotes,
 * angle brackets, `&` and control characters would only ever come from a mistake, and they
 * break the tables and queries that show these names.
 */
export function requireIdentifier(value: string, path: string, what: string): void {
  requireName(value, path, what);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
  if (/["'<>&\u0000-\u001f\u007f]/.test(value)) {
    throw new EditError(
      path,
      `${what} "${value}" must not contain quotes, <, >, & or control characters`,
    );
  }
}

/** Node names and altnames are host names or addresses: cman resolves them. */
export function requireHostName(value: string, path: string, what: string): void {
  requireName(value, path, what);
  if (!/^[A-Za-z0-9_][A-Za-z0-9._:-]*$/.test(value) || value.length > 255) {
    throw new EditError(
      path,
      `${what} "${value}" is not a host name or address (letters, digits, ".", "-", "_", ":")`,
    );
  }
}

export function requireInteger(
  value: number,
  path: string,
  field: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): string {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}–${max}`;
    throw new EditError(path, `${field} must be an integer ${range}, not ${value}`);
  }
  return String(value);
}

/** Attribute names that the edit sets itself must not come in through `params`. */
export function refuseReserved(
  params: Readonly<Record<string, unknown>>,
  reserved: readonly string[],
  path: string,
): void {
  for (const key of Object.keys(params)) {
    if (reserved.includes(key)) {
      throw new EditError(`${path}/@${key}`, `"${key}" cannot be given as a parameter here`);
    }
    if (!/^[A-Za-z_][\w.-]*$/.test(key)) {
      throw new EditError(path, `"${key}" is not a valid attribute name`);
    }
  }
}

export function findNode(conf: ClusterConf, name: string): ClusterNodeConf {
  const node = conf.nodes.find((n) => n.name === name);
  if (!node) throw new EditError('/cluster/clusternodes', `node "${name}" does not exist`);
  return node;
}

export function findMethod(node: ClusterNodeConf, method: string): FenceMethod {
  const found = node.fenceMethods.find((m) => m.name === method);
  if (!found) {
    throw new EditError(
      `${node.path}/fence`,
      `fence method "${method}" does not exist on node "${node.name}"`,
    );
  }
  return found;
}

export function requireFenceDevice(conf: ClusterConf, name: string, path: string): void {
  if (!conf.fenceDevices.some((d) => d.name === name)) {
    throw new EditError(path, `fence device "${name}" does not exist in <fencedevices>`);
  }
}

/** Services, vms and any other resource directly under `<rm>`. */
export function findService(conf: ClusterConf, name: string): ResourceConf {
  const svc = conf.rm?.services.find((s) => s.params.name === name);
  if (!svc) throw new EditError('/cluster/rm', `service "${name}" does not exist`);
  return svc;
}
