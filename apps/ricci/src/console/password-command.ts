import { parseArgs } from 'node:util';
import { stateDirFrom } from '../storage/state-dir.js';
import { consoleDirIn, PASSWORD_FILE, setAgentPassword } from './agent-password.js';

export interface PasswordCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Everything on standard input. */
  stdin(): Promise<string>;
}

export const PASSWORD_USAGE = `usage: ricci password [--state-dir DIR] < FILE
  Sets this node's agent password, which a console sends once before the agent pins its
  certificate. The password is the first line of standard input (at least 12 characters);
  only its scrypt hash is stored, in STATE_DIR/console/agent-password (mode 0600).
  --state-dir DIR   state directory (default $QUORATE_STATE_DIR, else /var/lib/quorate)
`;

/** `ricci password`: reads the password from stdin, never from the command line. */
export async function runPasswordCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  io: PasswordCommandIo,
): Promise<number> {
  let stateDir: string;
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { 'state-dir': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    });
    if (values.help) {
      io.stdout(PASSWORD_USAGE);
      return 0;
    }
    stateDir = values['state-dir'] ?? stateDirFrom(env);
  } catch (error) {
    io.stderr(`ricci password: ${(error as Error).message}\n${PASSWORD_USAGE}`);
    return 2;
  }
  const password = (await io.stdin()).split('\n')[0]?.replace(/\r$/, '') ?? '';
  try {
    await setAgentPassword(stateDir, password);
  } catch (error) {
    io.stderr(`ricci password: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout(`agent password set (${consoleDirIn(stateDir)}/${PASSWORD_FILE})\n`);
  return 0;
}

/** Reads the process's standard input to its end. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
