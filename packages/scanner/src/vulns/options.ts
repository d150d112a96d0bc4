import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `ctx.options.osv`: where vulnerability data comes from.
 *
 * ```yaml
 * osv:
 *   mode: online            # off (default) | online | offline
 *   apiUrl: https://api.osv.dev   # online: base URL (an internal mirror works too)
 *   cacheDir: ~/.cache/mlgov/osv  # online: advisory details cached per ID (default: <tmp>/mlgov-osv-cache)
 *   timeoutMs: 15000        # online: per request
 *   exportPath: ./osv/PyPI/all.zip  # offline: the PyPI export zip, or a directory of OSV JSON files
 * ```
 */
export interface OsvOptions {
  mode: 'off' | 'online' | 'offline';
  apiUrl: string;
  exportPath?: string;
  cacheDir?: string;
  timeoutMs: number;
}

export const DEFAULT_OSV_API = 'https://api.osv.dev';
export const DEFAULT_OSV_TIMEOUT_MS = 15_000;

export function readOsvOptions(raw: unknown): {
  options: OsvOptions;
  problems: string[];
} {
  const options: OsvOptions = {
    mode: 'off',
    apiUrl: DEFAULT_OSV_API,
    timeoutMs: DEFAULT_OSV_TIMEOUT_MS,
    cacheDir: join(tmpdir(), 'mlgov-osv-cache'),
  };
  const problems: string[] = [];
  if (raw === undefined) return { options, problems };
  if (typeof raw !== 'object' || raw === null)
    return {
      options,
      problems: ['osv options are not an object; vulnerability lookup is off'],
    };
  const input = raw as Record<string, unknown>;
  if (
    input.mode === 'off' ||
    input.mode === 'online' ||
    input.mode === 'offline'
  )
    options.mode = input.mode;
  else if (input.mode !== undefined)
    problems.push(
      `osv.mode "${String(input.mode)}" is not off, online or offline`,
    );
  if (typeof input.apiUrl === 'string')
    options.apiUrl = input.apiUrl.replace(/\/+$/, '');
  if (typeof input.exportPath === 'string')
    options.exportPath = input.exportPath;
  if (typeof input.cacheDir === 'string') options.cacheDir = input.cacheDir;
  if (input.cacheDir === false) options.cacheDir = undefined;
  if (typeof input.timeoutMs === 'number' && input.timeoutMs > 0)
    options.timeoutMs = input.timeoutMs;
  if (options.mode === 'offline' && !options.exportPath)
    problems.push('osv.mode is offline but osv.exportPath is not set');
  return { options, problems };
}
