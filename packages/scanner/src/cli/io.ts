/**
 * Where the CLI writes. Streams are injected so tests run `main` in-process and read what it printed.
 *
 * @public
 */
export interface OutputStream {
  write(text: string): unknown;
  /** True for a terminal: enables colours (text report) and the progress line (stderr). */
  isTTY?: boolean;
  columns?: number;
}

/**
 * What the `mlgov` command line reads and writes: streams, environment, working directory, fetch
 * and clock, injectable for tests.
 *
 * @public
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Relative paths on the command line resolve against this. */
  cwd: string;
  /** Used by `mlgov gate`; the global fetch by default. */
  fetch: typeof fetch;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    fetch: (...args) => fetch(...args),
    now: () => Date.now(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
  };
}
