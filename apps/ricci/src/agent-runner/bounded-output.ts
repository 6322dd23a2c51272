// Keeps at most `limitBytes` of a stream (its beginning: where agents say what went wrong) and
// counts the rest, so an agent that prints megabytes cannot grow the daemon's memory.

export const defaultOutputLimitBytes = 64 * 1024;

export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private keptBytes = 0;
  private droppedBytes = 0;

  constructor(readonly limitBytes: number = defaultOutputLimitBytes) {}

  push(chunk: Buffer): void {
    const room = this.limitBytes - this.keptBytes;
    if (room >= chunk.length) {
      this.chunks.push(chunk);
      this.keptBytes += chunk.length;
      return;
    }
    if (room > 0) {
      this.chunks.push(chunk.subarray(0, room));
      this.keptBytes += room;
    }
    this.droppedBytes += chunk.length - Math.max(room, 0);
  }

  /** Bytes that did not fit. */
  get truncatedBytes(): number {
    return this.droppedBytes;
  }

  /** The kept text, with a marker line saying how much was dropped. */
  text(): string {
    const kept = Buffer.concat(this.chunks).toString('utf8');
    if (this.droppedBytes === 0) return kept;
    const separator = kept.endsWith('\n') || kept === '' ? '' : '\n';
    return `${kept}${separator}[truncated ${this.droppedBytes} bytes]\n`;
  }
}
