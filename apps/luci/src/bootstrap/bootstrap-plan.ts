// What the administrator asks for when creating a cluster from bare hosts (issue 11 item 1), and
// the checks that refuse bad input before any host is touched: each error names the field.

export type SshAuth =
  | { readonly kind: 'password'; readonly password: string }
  | { readonly kind: 'private-key'; readonly privateKey: string; readonly passphrase?: string };

/**
 * How the host's SSH key is trusted: a fingerprint the administrator read from the host
 * (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`: `SHA256:` and unpadded base64), or
 * whatever key the host presents on this first connection.
 */
export type HostKeyPolicy =
  | { readonly kind: 'pinned'; readonly sha256: string }
  | { readonly kind: 'trust-on-first-use' };

export interface BootstrapNode {
  /** Address or DNS name the console connects to; also the agents' peer address. */
  readonly host: string;
  /** Default 22. */
  readonly sshPort?: number;
  /** Must be root: the agent installs into system directories. */
  readonly user: string;
  readonly auth: SshAuth;
  readonly hostKey: HostKeyPolicy;
  /** The node's name in cluster.conf; default: the host's own host name (`uname -n`). */
  readonly name?: string;
}

export interface BootstrapClusterOptions {
  /** `<totem token>` in milliseconds; absent: the default (1000). */
  readonly tokenMs?: number;
  /** Exactly two nodes, one vote each (implies wait_for_all). */
  readonly twoNode?: boolean;
  readonly waitForAll?: boolean;
}

export interface ClusterPlan {
  readonly clusterName: string;
  readonly nodes: readonly BootstrapNode[];
  readonly options?: BootstrapClusterOptions;
  /** The agent password every node gets (`ricci password`); the console sends it once. */
  readonly agentPassword: string;
}

/** One field of the plan that breaks a rule. `field` is a path such as `nodes[1].sshPort`. */
export interface PlanIssue {
  readonly field: string;
  readonly message: string;
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
  constructor(readonly issues: readonly PlanIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
  }
}

export const AGENT_PASSWORD_MIN_LENGTH = 12;
const MAX_NODES = 64;
/** cluster.conf names: what the core's identifier and host-name rules accept, stated simply. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST_PATTERN = /^(?:[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[?[0-9A-Fa-f:.]+\]?)$/;
const USER_PATTERN = /^[a-z_][a-z0-9_.-]{0,31}$/;
const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

export function sshPortOf(node: BootstrapNode): number {
  return node.sshPort ?? 22;
}

/** Throws PlanError listing every broken rule; returns the plan unchanged when it is sound. */
export function checkPlan(plan: ClusterPlan): ClusterPlan {
  const issues: PlanIssue[] = [];
  const issue = (field: string, message: string) => issues.push({ field, message });
  if (!NAME_PATTERN.test(plan.clusterName ?? '')) {
    issue(
      'clusterName',
      'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  }
  if ((plan.agentPassword ?? '').length < AGENT_PASSWORD_MIN_LENGTH) {
    issue('agentPassword', `must be at least ${AGENT_PASSWORD_MIN_LENGTH} characters`);
  }
  const nodes = plan.nodes ?? [];
  if (nodes.length === 0 || nodes.length > MAX_NODES) {
    issue('nodes', `must list 1 to ${MAX_NODES} nodes, not ${nodes.length}`);
  }
  for (const [index, node] of nodes.entries()) checkNode(node, `nodes[${index}]`, issue);
  duplicates(
    nodes.map((n) => `${n.host}:${sshPortOf(n)}`),
    (i) => issue(`nodes[${i}].host`, 'is listed twice'),
  );
  duplicates(
    nodes.map((n) => n.name),
    (i) => issue(`nodes[${i}].name`, 'is used by another node'),
  );
  checkOptions(plan.options ?? {}, nodes.length, issue);
  if (issues.length > 0) throw new PlanError(issues);
  return plan;
}

function checkNode(
  node: BootstrapNode,
  at: string,
  issue: (field: string, message: string) => void,
): void {
  if (!HOST_PATTERN.test(node.host ?? '')) issue(`${at}.host`, 'must be an IP address or DNS name');
  const port = sshPortOf(node);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    issue(`${at}.sshPort`, `must be a TCP port (1–65535), not ${String(port)}`);
  }
  if (!USER_PATTERN.test(node.user ?? '')) issue(`${at}.user`, 'must be a Unix user name');
  if (node.name !== undefined && !NAME_PATTERN.test(node.name)) {
    issue(
      `${at}.name`,
      'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  }
  const auth = node.auth;
  if (auth?.kind === 'password') {
    if (!auth.password) issue(`${at}.auth.password`, 'must not be empty');
  } else if (auth?.kind === 'private-key') {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(auth.privateKey ?? '')) {
      issue(`${at}.auth.privateKey`, 'must be a PEM or OpenSSH private key');
    }
  } else {
    issue(`${at}.auth`, 'must be a password or a private key');
  }
  const hostKey = node.hostKey;
  if (hostKey?.kind === 'pinned') {
    if (!FINGERPRINT_PATTERN.test(hostKey.sha256 ?? '')) {
      issue(
        `${at}.hostKey.sha256`,
        'must be an OpenSSH SHA256 fingerprint ("SHA256:" and 43 characters)',
      );
    }
  } else if (hostKey?.kind !== 'trust-on-first-use') {
    issue(`${at}.hostKey`, 'must be a pinned fingerprint or trust-on-first-use');
  }
}

function checkOptions(
  options: BootstrapClusterOptions,
  nodeCount: number,
  issue: (field: string, message: string) => void,
): void {
  const { tokenMs } = options;
  if (tokenMs !== undefined && (!Number.isInteger(tokenMs) || tokenMs < 100 || tokenMs > 600_000)) {
    issue(
      'options.tokenMs',
      `must be a whole number of milliseconds from 100 to 600000, not ${tokenMs}`,
    );
  }
  if (options.twoNode && nodeCount !== 2) {
    issue('options.twoNode', `needs exactly two nodes; the plan has ${nodeCount}`);
  }
}

function duplicates(
  values: readonly (string | undefined)[],
  report: (index: number) => void,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (value === undefined) return;
    if (seen.has(value)) report(index);
    seen.add(value);
  });
}
