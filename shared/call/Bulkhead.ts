import { abortReason, type CallScope } from "./CallScope.js";

/**
 * At most `limit` of one kind of work at a time; the rest wait their turn, each
 * no longer than its call lasts. Keeps one slow dependency from taking every
 * shared resource (Release It!, "Bulkheads").
 */
export class Bulkhead {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(call: CallScope, work: () => Promise<T>): Promise<T> {
    await this.enter(call.signal);
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  private enter(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.running < this.limit) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const admit = () => {
        signal.removeEventListener("abort", giveUp);
        resolve();
      };
      const giveUp = () => {
        this.waiting.splice(this.waiting.indexOf(admit), 1);
        reject(abortReason(signal));
      };
      signal.addEventListener("abort", giveUp, { once: true });
      this.waiting.push(admit);
    });
  }

  /** A leaving caller hands its slot straight to the first in line. */
  private leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
