/** One line of a line diff: kept, removed from the old text, or added in the new one. */
export interface DiffLine {
  readonly kind: 'same' | 'removed' | 'added';
  readonly text: string;
  /** 1-based line numbers in the old and the new text (absent on the side without the line). */
  readonly oldLine?: number;
  readonly newLine?: number;
}

/** A run of changed lines with their context, as `diff -u` prints one hunk. */
export interface DiffHunk {
  readonly lines: readonly DiffLine[];
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Every line of both texts, aligned on a longest common subsequence. cluster.conf files are a
 * few thousand lines at most, and edits touch a small part: the common head and tail are
 * trimmed first, so the quadratic table covers only the changed middle.
 */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++)
    out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  out.push(...middle(midA, midB, head));
  for (let i = tail; i > 0; i--) {
    out.push({
      kind: 'same',
      text: a[a.length - i]!,
      oldLine: a.length - i + 1,
      newLine: b.length - i + 1,
    });
  }
  return out;
}

function middle(a: readonly string[], b: readonly string[], offset: number): DiffLine[] {
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]!, oldLine: offset + i + 1, newLine: offset + j + 1 });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ kind: 'removed', text: a[i]!, oldLine: offset + i + 1 });
      i++;
    } else {
      out.push({ kind: 'added', text: b[j]!, newLine: offset + j + 1 });
      j++;
    }
  }
  return out;
}

/** The changed lines with `context` unchanged lines around each run; none when the texts agree. */
export function diffHunks(oldText: string, newText: string, context = 3): DiffHunk[] {
  const lines = diffLines(oldText, newText);
  const keep = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++)
      keep[k] = true;
  });
  const hunks: DiffHunk[] = [];
  let current: DiffLine[] = [];
  lines.forEach((line, i) => {
    if (keep[i]) current.push(line);
    else if (current.length > 0) {
      hunks.push({ lines: current });
      current = [];
    }
  });
  if (current.length > 0) hunks.push({ lines: current });
  return hunks;
}
