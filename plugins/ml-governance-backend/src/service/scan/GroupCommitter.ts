/**
 * Group commit: finished scans are written together, one transaction for many entities, once
 * `maxItems` are waiting or `maxDelayMs` after the first one finished (so a long scan never holds an
 * early result back for long). Results arriving during a write go in the next one.
 */
export class GroupCommitter<T> {
  private pending: T[] = [];
  private readonly running = new Set<Promise<void>>();
  private timer?: ReturnType<typeof setTimeout>;
  private readonly done: string[] = [];

  constructor(
    private readonly commit: (items: T[]) => Promise<string[]>,
    private readonly limits: {
      maxItems: number;
      maxDelayMs: number;
      maxParallel: number;
    },
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.pending.length >= this.limits.maxItems) this.kick();
    else if (!this.timer)
      this.timer = setTimeout(() => this.kick(), this.limits.maxDelayMs);
  }

  /** Starts a write of what is waiting, unless `maxParallel` writes are already under way. */
  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (
      this.pending.length === 0 ||
      this.running.size >= this.limits.maxParallel
    )
      return;
    const items = this.pending;
    this.pending = [];
    const write: Promise<void> = this.commit(items)
      .then(refs => {
        this.done.push(...refs);
      })
      .finally(() => {
        this.running.delete(write);
        if (this.pending.length >= this.limits.maxItems) this.kick();
        else if (this.pending.length > 0 && !this.timer)
          this.timer = setTimeout(() => this.kick(), this.limits.maxDelayMs);
      });
    this.running.add(write);
  }

  /** Writes whatever is still waiting; returns everything committed. */
  async drain(): Promise<string[]> {
    for (
      this.kick();
      this.running.size > 0 || this.pending.length > 0;
      this.kick()
    ) {
      if (this.running.size > 0) await Promise.race(this.running);
    }
    return this.done;
  }
}
