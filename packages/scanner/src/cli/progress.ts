import type { OutputStream } from './io';

/** Redraw at most this often: a tree of 100,000 small files must not spend its time painting. */
const REDRAW_MS = 100;

/**
 * One self-overwriting status line on stderr: "scanning 1,234/5,678 models/foo.pt". Only for a TTY
 * (never in CI logs), and only once a scan has run long enough to need it.
 */
export class ProgressLine {
  private lastDraw: number;
  private drawn = false;

  constructor(
    private readonly stream: OutputStream,
    private readonly now: () => number,
  ) {
    // Start the clock at creation: scans that finish within one interval never draw anything.
    this.lastDraw = now();
  }

  update(progress: {
    filesDone: number;
    filesTotal: number;
    path: string;
  }): void {
    const time = this.now();
    if (time - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = time;
    const counter = `scanning ${progress.filesDone.toLocaleString(
      'en',
    )}/${progress.filesTotal.toLocaleString('en')} `;
    const room = Math.max(10, (this.stream.columns ?? 80) - counter.length - 1);
    const path =
      progress.path.length > room
        ? `…${progress.path.slice(-(room - 1))}`
        : progress.path;
    this.stream.write(`\r\u001b[2K${counter}${path}`);
    this.drawn = true;
  }

  /** Clears the line so the report starts on a clean screen. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }
}
