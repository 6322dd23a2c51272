import type { NodeId, VoterConf, VotingConfig } from '@quorate/core';
import { clusterConfText } from './conf-text.js';
import { TranscriptEnv } from './transcript-env.js';

/**
 * Golden transcripts in the style of etcd's `testdata`: a command line, `----`, and the output
 * it must print, cases separated by blank lines, `#` lines as commentary. `runTranscript`
 * returns the file with every output regenerated, so a test compares and a flag rewrites.
 */
export function runTranscript(text: string): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  const out: string[] = [];
  const env = new TranscriptEnv();
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    i++;
    if (line.trim() === '' || line.startsWith('#')) {
      out.push(line);
      continue;
    }
    if (lines[i] === '----') {
      i++;
      while (i < lines.length && lines[i]!.trim() !== '') i++;
    }
    out.push(line, '----', ...runCommand(env, line));
  }
  return `${out.join('\n')}\n`;
}

function runCommand(env: TranscriptEnv, line: string): string[] {
  const [name = '', ...args] = line.trim().split(/\s+/);
  const options = new Map<string, string>();
  const words: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) options.set(arg.slice(0, eq), arg.slice(eq + 1));
    else words.push(arg);
  }
  try {
    const printed = dispatch(env, name, words, options);
    return printed.length > 0 ? printed : ['ok'];
  } catch (error) {
    return [`error: ${error instanceof Error ? error.message : String(error)}`];
  }
}

function numberList(text: string | undefined): number[] | undefined {
  return text?.split(',').map(Number);
}

function dispatch(
  env: TranscriptEnv,
  name: string,
  words: string[],
  options: Map<string, string>,
): string[] {
  const count = Number(words[0] ?? '1');
  const targets = options.get('nodes')?.split(',') ?? env.ids();
  switch (name) {
    case 'add-nodes': {
      const votes = numberList(options.get('votes')) ?? [];
      const voters: VoterConf[] = [];
      for (let n = 1; n <= count; n++) voters.push({ id: `n${n}`, votes: votes[n - 1] ?? 1 });
      const twoNode = words.includes('two-node');
      const config = {
        voters,
        expectedVotes: twoNode ? 1 : Number(options.get('expected') ?? '0'),
        tokenMs: Number(options.get('token') ?? '1000'),
        waitForAll: twoNode || words.includes('wait-for-all'),
        twoNode,
      };
      const jitter = numberList(options.get('jitter')) ?? voters.map((_, n) => 3 * n);
      // `with-conf`: every host starts with this configuration's cluster.conf at version 1.
      const file = words.includes('with-conf') ? clusterConfText(config, 1) : null;
      return env.addNodes(config, Number(options.get('tick') ?? '100'), jitter, () => file);
    }
    case 'set-conf': {
      // A host's own cluster.conf (`none` removes it); `delay=` varies the text, not the voting.
      const version = Number(options.get('version') ?? '1');
      const delay = Number(options.get('delay') ?? '6');
      const text =
        words[1] === 'none' ? null : clusterConfText(confVoting(words, options), version, delay);
      env.setFile(words[0] ?? '', text);
      return [];
    }
    case 'fence-device':
      return env.fenceDevices(words);
    case 'fence-ack':
      return env.input(words[0] ?? '', { type: 'fence-acknowledged', node: words[1] ?? '' });
    case 'leave':
      return env.input(words[0] ?? '', { type: 'leave' });
    case 'force-expected':
      return env.forceExpected(words[0] ?? '', Number(words[1]));
    case 'tick': {
      const out: string[] = [];
      for (let n = 0; n < count; n++) out.push(...env.tick(targets), ...stabilize(env));
      return out;
    }
    case 'tick-only': {
      const out: string[] = [];
      for (let n = 0; n < count; n++) out.push(...env.tick(targets));
      return out;
    }
    case 'deliver':
      return env.deliverRound();
    case 'stabilize':
      return stabilize(env);
    case 'partition': {
      const groups = words.map((w) => w.split(','));
      for (const a of groups) {
        for (const b of groups)
          if (a !== b) for (const x of a) for (const y of b) env.cutLink(x, y);
      }
      return [];
    }
    case 'cut':
      for (const link of words) {
        const [from, to] = link.split('>') as [NodeId, NodeId];
        env.cutLink(from, to);
      }
      return [];
    case 'heal':
      env.heal();
      return [];
    case 'crash':
      for (const id of words) env.crash(id);
      return [];
    case 'restart':
      return words.flatMap((id) => env.start(id));
    case 'propose':
      return env.propose(words[0] ?? '', words[1] ?? '');
    case 'add-host':
      return env.addHost(words[0] ?? '', Number(options.get('jitter') ?? '0'));
    case 'propose-conf':
      return env.proposeConfig(words[0] ?? '', {
        kind: 'file',
        text: clusterConfText(confVoting(words, options), Number(options.get('version') ?? '1')),
      });
    case 'expected':
      return env.proposeConfig(words[0] ?? '', {
        kind: 'edits',
        edits: [
          { op: 'setClusterProperties', changes: { cman: { expectedVotes: Number(words[1]) } } },
        ],
      });
    case 'status':
      return env.status();
    case 'log':
      return (words.length > 0 ? words : env.ids()).flatMap((id) => env.log(id));
    case 'messages':
      env.showMessages = words[0] !== 'off';
      env.showHeartbeats = words[0] === 'all';
      return [];
    default:
      throw new Error(`unknown command ${name}`);
  }
}

/** `voters=n1,n2 votes=1,3 expected=N wait-for-all` as a voting configuration. */
function confVoting(words: string[], options: Map<string, string>): VotingConfig {
  const votes = numberList(options.get('votes')) ?? [];
  const ids = options.get('voters')?.split(',') ?? [];
  const twoNode = words.includes('two-node');
  return {
    voters: ids.map((id, n) => ({ id, votes: votes[n] ?? 1 })),
    expectedVotes: twoNode ? 1 : Number(options.get('expected') ?? '0'),
    tokenMs: 1000,
    waitForAll: twoNode || words.includes('wait-for-all'),
    twoNode,
  };
}

/** Delivers round after round until nothing is in flight (bounded, in case of a storm). */
function stabilize(env: TranscriptEnv): string[] {
  const out: string[] = [];
  for (let round = 0; round < 100 && env.hasInFlight(); round++) out.push(...env.deliverRound());
  return out;
}
