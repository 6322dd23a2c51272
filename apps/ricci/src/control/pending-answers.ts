// Requests handed to the core whose answers come later as events carrying the request's id
// (clusvcadm's `request-result`, `config-result`, `console-trust-result`): each waiter settles
// once, with its answer, with what its timeout gives, or with what closing gives.

export class PendingAnswers<T> {
  private readonly waiting = new Map<string, (value: T) => void>();

  /**
   * Waits for `id`'s answer. Registered before it returns, so the request may be submitted
   * after. `onTimeout` gives the value after `timeoutMs`, or throws to reject.
   */
  wait(id: string, timeoutMs: number, onTimeout: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        try {
          resolve(onTimeout());
        } catch (error) {
          reject(error);
        }
      }, timeoutMs);
      // A stopping agent does not wait for answers nobody will read.
      timer.unref();
      this.waiting.set(id, (value) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(value);
      });
    });
  }

  /** Settles `id`'s waiter, if one still waits. */
  settle(id: string, value: T): void {
    this.waiting.get(id)?.(value);
  }

  settleAll(value: T): void {
    for (const finish of [...this.waiting.values()]) finish(value);
  }
}
