/**
 * A token bucket per provider: `requestsPerMinute` tokens refill continuously, at most one second's
 * worth (and at least one) may be spent at once. Callers queue in order, so a burst of probes is
 * spread out instead of racing for the next token.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  readonly capacity: number;
  private readonly perMs: number;

  constructor(
    requestsPerMinute: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = ms =>
      new Promise(resolve => setTimeout(resolve, ms)),
  ) {
    this.perMs = requestsPerMinute / 60_000;
    this.capacity = Math.max(1, Math.floor(requestsPerMinute / 60));
    this.tokens = this.capacity;
    this.last = this.now();
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.catch(() => {});
    return turn;
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + (at - this.last) * this.perMs,
    );
    this.last = at;
  }

  private async wait(): Promise<void> {
    this.refill();
    while (this.tokens < 1) {
      await this.sleep(Math.ceil((1 - this.tokens) / this.perMs));
      this.refill();
    }
    this.tokens -= 1;
  }
}
