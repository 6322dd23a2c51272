// Which command the bundle's single executable runs. Like busybox, it goes by the name it was
// started as: bin/ricci and bin/ccs_tool are symlinks to bin/quorate. Started as `quorate` (or
// under any other name), the first argument names the command.

/** The executable's own name in the archive's bin/. */
export const EXECUTABLE_NAME = 'quorate';

/** Commands that get a symlink to the executable in bin/, so they run by their own name. */
export const LINKED_COMMANDS = [
  'ricci',
  'ccs_tool',
  'clustat',
  'clusvcadm',
  'cman_tool',
  'fence_ack_manual',
  'fence_node',
] as const;

type LinkedCommand = (typeof LINKED_COMMANDS)[number];

/** What `quorate` itself runs: `quorate cert …`, and every linked command by name. */
export type CommandName = LinkedCommand | 'cert' | 'support-report' | 'version' | 'help';

export type Dispatch =
  | { readonly kind: 'run'; readonly command: CommandName; readonly args: readonly string[] }
  | { readonly kind: 'usage-error'; readonly message: string };

export const USAGE = `usage: quorate COMMAND [ARGS...]
  ricci ARGS...             the node agent; ricci --help lists its options
  clustat ARGS...           the cluster's members and services
  clusvcadm ARGS...         enable, disable, relocate … services
  cman_tool ARGS...         membership and quorum
  ccs_tool ARGS...          edit cluster.conf; ccs_tool help
  fence_ack_manual NODE     acknowledge a manual fence
  fence_node NODE           fence a node now (the leader runs its fence methods)
  cert ca|node NAME         make the cluster CA or a node certificate
  support-report ARGS...    gather config (secrets redacted), status and logs into one archive
  --version                 print the version
Each command but cert and support-report also runs by its own name (a link to this executable
in bin/).
`;

const isLinked = (name: string): name is LinkedCommand =>
  (LINKED_COMMANDS as readonly string[]).includes(name);

/** Picks the command from `argv0` (as started, possibly a path) and the arguments after it. */
export function dispatch(argv0: string, args: readonly string[]): Dispatch {
  const name = argv0.slice(argv0.lastIndexOf('/') + 1);
  if (isLinked(name)) return { kind: 'run', command: name, args };
  const [first, ...rest] = args;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    return { kind: 'run', command: 'help', args: [] };
  }
  if (first === '--version' || first === 'version') {
    return { kind: 'run', command: 'version', args: [] };
  }
  if (first === 'cert' || first === 'support-report' || isLinked(first)) {
    return { kind: 'run', command: first, args: rest };
  }
  return { kind: 'usage-error', message: `unknown command "${first}"` };
}
