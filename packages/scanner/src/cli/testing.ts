import type { CliIo } from './io';

/** An in-memory CliIo: what `main` printed, and a clock that `sleep` advances (so waits take no time). */
export function captureIo(cwd: string, overrides: Partial<CliIo> = {}) {
  const output = { stdout: '', stderr: '' };
  let clock = Date.parse('2026-11-25T12:00:00Z');
  const sleeps: number[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text) },
    env: {},
    cwd,
    fetch: (...args) => fetch(...args),
    now: () => clock,
    sleep: async ms => {
      sleeps.push(ms);
      clock += ms;
    },
    ...overrides,
  };
  return { io, output, sleeps, advance: (ms: number) => (clock += ms) };
}
