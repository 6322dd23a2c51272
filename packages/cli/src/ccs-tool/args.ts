import { parseArgs } from 'node:util';
import { CcsToolError } from './config-file.js';

// Option parsing with node:util parseArgs (see README: strict getopt-style short options, no
// dependency). Options may come before or after the positional arguments, as with getopt.

type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
>;

const configOption = { config: { type: 'string', short: 'c' } } as const satisfies OptionSpec;

export const commandOptions = {
  create: {
    ...configOption,
    'two-node': { type: 'boolean', short: '2' },
    nodes: { type: 'string', short: 'n' },
    fence: { type: 'string', short: 'f' },
    force: { type: 'boolean' },
  },
  addnode: {
    ...configOption,
    votes: { type: 'string', short: 'v' },
    nodeid: { type: 'string', short: 'n' },
    altname: { type: 'string', short: 'a' },
    fence_type: { type: 'string', short: 'f' },
  },
  delnode: configOption,
  addfence: configOption,
  delfence: configOption,
  lsnode: { ...configOption, verbose: { type: 'boolean', short: 'v' } },
  lsfence: { ...configOption, verbose: { type: 'boolean', short: 'v' } },
  query: configOption,
  validate: { ...configOption, level: { type: 'string', short: 'l' } },
} as const satisfies Record<string, OptionSpec>;

export type CommandName = keyof typeof commandOptions;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(commandOptions, name);
}

export interface ParsedCommand {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

export function parseCommand(command: CommandName, args: readonly string[]): ParsedCommand {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: commandOptions[command],
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedCommand['values'], positionals };
  } catch (e) {
    throw new CcsToolError(`${command}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** A non-negative decimal integer option, as ccs_tool's validate_int_arg checked. */
export function integerOption(
  command: string,
  flag: string,
  value: string | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) {
    throw new CcsToolError(
      `${command}: argument to ${flag} ("${value}") is not a non-negative integer`,
    );
  }
  return Number(value);
}

/** `key=value` words (fence device arguments); `name` is refused as ccs_tool did. */
export function keyValues(command: string, words: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new CcsToolError(`${command}: "${word}" is not a key=value pair`);
    const key = word.slice(0, eq);
    if (key === 'name')
      throw new CcsToolError(`${command}: "name" cannot be used as a fence argument`);
    if (Object.hasOwn(out, key)) throw new CcsToolError(`${command}: "${key}" is given twice`);
    out[key] = word.slice(eq + 1);
  }
  return out;
}
