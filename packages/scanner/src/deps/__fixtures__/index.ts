import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a test fixture next to this file (tests only; never used at run time). */
export function fixture(path: string): string {
  // eslint-disable-next-line no-restricted-syntax
  return readFileSync(join(__dirname, path), 'utf8');
}
