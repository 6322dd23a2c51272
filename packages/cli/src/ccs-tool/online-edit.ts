import { parseClusterConf, serializeXml, XmlInputError } from '@quorate/core';
import { controlSocketPath } from '@quorate/protocol';
import {
  AgentRequestError,
  AgentUnavailableError,
  agentUnavailableDetail,
  type ControlClient,
  connectControlSocket,
} from '../agent-client/index.js';
import type { Env, RunOptions } from '../command-io.js';
import type { CommandName, ParsedCommand } from './args.js';
import { applyChange, editOf } from './commands.js';
import { CcsToolError } from './config-file.js';
import type { CliIo } from './main.js';

/** No agent at the socket: the edit is made to the local file, as before the cluster runs. */
const noAgentCodes = new Set(['ENOENT', 'ECONNREFUSED']);

/**
 * An edit (addnode, delnode, addfence, delfence) while the local agent runs goes through the
 * cluster, as RHEL 5's ccs_tool ran `ccs_tool update` after editing: the edit is applied to the
 * committed cluster.conf and the result proposed whole. The cluster refuses it when inquorate,
 * and when another change was committed meanwhile (its version is then not greater), so no
 * change is lost. Resolves to undefined when no agent runs.
 */
export async function editThroughAgent(
  command: CommandName,
  cmd: ParsedCommand,
  env: Env,
  io: CliIo,
  run: RunOptions,
): Promise<number | undefined> {
  const change = editOf(command, cmd);
  if (!change) return undefined;
  let client: ControlClient;
  try {
    const timeout = run.timeoutMs === undefined ? {} : { timeoutMs: run.timeoutMs };
    client = await connectControlSocket(controlSocketPath(env), timeout);
  } catch (e) {
    if (!(e instanceof AgentUnavailableError)) throw e;
    if (noAgentCodes.has(e.code)) return undefined;
    throw new CcsToolError(`Unable to connect to the cluster: ${agentUnavailableDetail(e)}`);
  }
  try {
    return await proposeEdit(client, command, change, io);
  } catch (e) {
    if (!(e instanceof AgentRequestError)) throw e;
    throw new CcsToolError(`${command}: ${e.message}`);
  } finally {
    client.close();
  }
}

async function proposeEdit(
  client: ControlClient,
  command: CommandName,
  change: NonNullable<ReturnType<typeof editOf>>,
  io: CliIo,
): Promise<number> {
  const committed = await client.clusterConf();
  if (!committed) {
    throw new CcsToolError(
      `${command}: the cluster has no cluster.conf yet; propose a whole file with ccs_tool update FILE`,
    );
  }
  let conf: ReturnType<typeof parseClusterConf>;
  try {
    conf = parseClusterConf(committed.text);
  } catch (e) {
    if (!(e instanceof XmlInputError)) throw e;
    throw new CcsToolError(`the committed cluster.conf does not parse: ${e.message}`);
  }
  const edited = applyChange(conf, change);
  const text = serializeXml(edited.conf.doc);
  const result = await client.request({ type: 'config-update', text });
  if (result.type !== 'config-update') throw new CcsToolError(`${command}: no config result`);
  if (!result.accepted) {
    io.stderr(`${result.message}\n`);
    return 1;
  }
  const notes = edited.notes.map((n) => `${n}\n`).join('');
  io.stdout(
    `${notes}Config file updated from version ${result.previousVersion} to ${result.version}\n`,
  );
  return 0;
}
