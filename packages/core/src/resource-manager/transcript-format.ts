// The transcript file format, in the style of etcd raft's datadriven tests: a command (with an
// optional `<<EOF` … `EOF` body), a `----` line, then the expected output up to a blank line.
// Lines starting with `#` before a command are commentary and survive regeneration.

export interface TranscriptBlock {
  /** Comment and blank lines before the command, as written. */
  readonly preamble: readonly string[];
  readonly command: string;
  /** The `<<EOF` body, if any. */
  readonly body: string | undefined;
  readonly expected: string;
  /** 1-based line of the command, for failure messages. */
  readonly line: number;
}

export function parseTranscript(text: string): TranscriptBlock[] {
  const lines = text.split('\n');
  const blocks: TranscriptBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const preamble: string[] = [];
    while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.startsWith('#'))) {
      preamble.push(lines[i++]!);
    }
    if (i >= lines.length) break;
    const line = i + 1;
    let command = lines[i++]!;
    let body: string[] | undefined;
    if (command.endsWith('<<EOF')) {
      command = command.slice(0, -'<<EOF'.length).trimEnd();
      body = [];
      while (i < lines.length && lines[i] !== 'EOF') body.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`line ${line}: <<EOF without a closing EOF`);
      i++;
    }
    if (lines[i] !== '----') throw new Error(`line ${line}: expected ---- after "${command}"`);
    i++;
    const expected: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') expected.push(lines[i++]!);
    blocks.push({ preamble, command, body: body?.join('\n'), expected: expected.join('\n'), line });
  }
  return blocks;
}

/** The transcript with each block's output replaced by `outputs[i]`. */
export function formatTranscript(blocks: readonly TranscriptBlock[], outputs: readonly string[]) {
  const out: string[] = [];
  blocks.forEach((b, i) => {
    out.push(...b.preamble);
    out.push(b.body === undefined ? b.command : `${b.command} <<EOF`);
    if (b.body !== undefined) out.push(b.body, 'EOF');
    out.push('----', outputs[i]!);
  });
  return `${out.join('\n')}\n`;
}
