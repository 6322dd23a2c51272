import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ClusterConf, ConfigEdit, ValidationLevel } from '@quorate/core';
import {
  applyEditWithNotes,
  createClusterConf,
  EditError,
  parseClusterConf,
  serializeXml,
  validateClusterConf,
  XmlInputError,
} from '@quorate/core';
import { formatConfigIssue } from '@quorate/protocol';
import type { CommandName, ParsedCommand } from './args.js';
import { integerOption, keyValues } from './args.js';
import type { LoadedFile } from './config-file.js';
import { CcsToolError, configPath, readConfigFile, writeConfigFile } from './config-file.js';
import { listFences, listNodes } from './listing.js';
import { runQuery } from './query.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What a command prints and how it ends; `main` writes it out. */
export interface CommandOutcome {
  readonly stdout: string;
  readonly status: number;
  /** A failure line for stderr (without the `ccs_tool: ` prefix). */
  readonly failure?: string;
}

const ok = (stdout = ''): CommandOutcome => ({ stdout, status: 0 });

function positionals(cmd: ParsedCommand, command: string, min: number, max: number, usage: string) {
  const p = cmd.positionals;
  if (p.length < min || p.length > max)
    throw new CcsToolError(`${command}: usage: ccs_tool ${command} ${usage}`);
  return p;
}

function load(path: string): { file: LoadedFile; conf: ClusterConf } {
  const file = readConfigFile(path);
  try {
    return { file, conf: parseClusterConf(file.text) };
  } catch (e) {
    if (e instanceof XmlInputError) throw new CcsToolError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Applies one edit to the file: validated as a draft, version + 1, written atomically. */
function edit(path: string, change: ConfigEdit): CommandOutcome {
  const { file, conf } = load(path);
  const result = applyChange(conf, change);
  writeConfigFile(path, serializeXml(result.conf.doc), file);
  return ok(result.notes.map((n) => `${n}\n`).join(''));
}

function create(cmd: ParsedCommand, path: string): CommandOutcome {
  const [name] = positionals(cmd, 'create', 1, 1, '[-2] [-n N] [-f AGENT] [--force] NAME');
  const exists = existsSync(path);
  if (exists && !cmd.values.force) {
    throw new CcsToolError(
      `${path} already exists; use --force to replace it (the old file is kept as a backup)`,
    );
  }
  let conf: ClusterConf;
  try {
    conf = createClusterConf({
      name: name!,
      twoNode: cmd.values['two-node'] === true,
      nodeCount: integerOption('create', '-n', cmd.values.nodes as string | undefined),
      fenceAgent: cmd.values.fence as string | undefined,
    });
  } catch (e) {
    if (e instanceof EditError) throw new CcsToolError(e.message);
    throw e;
  }
  // --force replaces whatever is there, even a file that does not parse.
  const previous: LoadedFile | undefined = exists
    ? { path, bytes: readFileSync(path), text: '', mode: statSync(path).mode & 0o7777 }
    : undefined;
  writeConfigFile(path, serializeXml(conf.doc), previous);
  return ok();
}

function addnodeEdit(cmd: ParsedCommand): ConfigEdit {
  const [name, ...args] = positionals(
    cmd,
    'addnode',
    1,
    64,
    '[-v VOTES] [-n NODEID] [-a ALTNAME] [-f FENCEDEV] NAME [key=value …]',
  );
  const device = cmd.values.fence_type as string | undefined;
  if (args.length > 0 && device === undefined) {
    throw new CcsToolError('addnode: fence arguments need -f FENCEDEV');
  }
  const nodeid = integerOption('addnode', '-n', cmd.values.nodeid as string | undefined);
  const votes = integerOption('addnode', '-v', cmd.values.votes as string | undefined);
  const altname = cmd.values.altname as string | undefined;
  return {
    op: 'addNode',
    name: name!,
    ...(nodeid === undefined ? {} : { nodeid }),
    ...(votes === undefined ? {} : { votes }),
    ...(altname === undefined ? {} : { altname }),
    ...(device === undefined ? {} : { fence: { device, params: keyValues('addnode', args) } }),
  };
}

/** The change an editing command asks for; undefined for the commands that do not edit. */
export function editOf(command: CommandName, cmd: ParsedCommand): ConfigEdit | undefined {
  const one = (usage: string) => positionals(cmd, command, 1, 1, usage)[0]!;
  switch (command) {
    case 'addnode':
      return addnodeEdit(cmd);
    case 'delnode':
      return { op: 'deleteNode', name: one('NAME') };
    case 'addfence': {
      const [name, agent, ...args] = positionals(cmd, command, 2, 64, 'NAME AGENT [key=value …]');
      return { op: 'addFenceDevice', name: name!, agent: agent!, params: keyValues(command, args) };
    }
    case 'delfence':
      return { op: 'deleteFenceDevice', name: one('NAME') };
    default:
      return undefined;
  }
}

/** Applies `change` to `conf` as every edit is applied: refused with the edit's own message. */
export function applyChange(conf: ClusterConf, change: ConfigEdit) {
  try {
    return applyEditWithNotes(conf, change);
  } catch (e) {
    if (e instanceof EditError) throw new CcsToolError(e.message);
    throw e;
  }
}

function validate(cmd: ParsedCommand, path: string): CommandOutcome {
  positionals(cmd, 'validate', 0, 0, '[-l draft|runnable]');
  const level = (cmd.values.level ?? 'runnable') as string;
  if (level !== 'draft' && level !== 'runnable') {
    throw new CcsToolError(`validate: level must be draft or runnable, not "${level}"`);
  }
  const { conf } = load(path);
  const { errors, warnings } = validateClusterConf(conf, level as ValidationLevel);
  const lines = [...errors, ...warnings].map((i) => `${formatConfigIssue(i)}\n`).join('');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `${path}: ${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')} at level ${level}`;
  if (errors.length > 0) return { stdout: lines, status: 1, failure: `${summary}: not valid` };
  return ok(`${lines}${summary}: valid\n`);
}

export function runCommand(command: CommandName, cmd: ParsedCommand, env: Env): CommandOutcome {
  const path = configPath(cmd.values.config as string | undefined, env);
  const change = editOf(command, cmd);
  if (change) return edit(path, change);
  switch (command) {
    case 'create':
      return create(cmd, path);
    case 'lsnode':
      positionals(cmd, command, 0, 0, '[-v]');
      return ok(listNodes(load(path).conf, cmd.values.verbose === true));
    case 'lsfence':
      positionals(cmd, command, 0, 0, '[-v]');
      return ok(listFences(load(path).conf, cmd.values.verbose === true));
    case 'query': {
      const xpath = positionals(cmd, command, 1, 1, 'XPATH')[0]!;
      const lines = runQuery(load(path).conf.doc, xpath);
      if (lines.length === 0)
        return { stdout: '', status: 1, failure: `query: nothing matches ${xpath}` };
      return ok(lines.map((l) => `${l}\n`).join(''));
    }
    case 'validate':
      return validate(cmd, path);
    default:
      throw new CcsToolError(`${command}: not a command that reads or creates the file`);
  }
}
