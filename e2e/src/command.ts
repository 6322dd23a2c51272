// Runs a system tool (ip, nft, nsenter, mount …) to completion. Always an argument array, never a
// shell string, so no host name or path is ever interpreted by a shell.
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  /** Written to the command's standard input, which is then closed. */
  input?: string;
  timeoutMs?: number;
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const { input, timeoutMs = 15_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on('error', () => {
      // A tool that exits without reading its input is reported by its exit status instead.
    });
    child.stdin.end(input ?? '');
  });
}

/** Like runCommand, but a non-zero exit is an error that names the command and its stderr. */
export async function mustRun(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const status = result.signal ? `signal ${result.signal}` : `exit ${result.code}`;
    const detail = result.stderr.trim() || result.stdout.trim();
    throw new Error(`${command} ${args.join(' ')}: ${status}: ${detail}`);
  }
  return result.stdout;
}
