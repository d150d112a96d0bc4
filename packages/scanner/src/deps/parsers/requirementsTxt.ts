import { posix } from 'node:path';
import { PathEscapeError, type PathRequest } from '../../io/ScanTree';
import { normalizeName } from '../names';
import { parsePep508 } from '../pep508';
import {
  emptyResult,
  snippetOf,
  type DeclaredRequirement,
  type ManifestResult,
} from '../model';

/** Limits for `-r`/`-c` includes: a hostile tree must not make us loop or read without bound. */
export const MAX_INCLUDE_DEPTH = 10;
const MAX_LINES = 100_000;

export interface RequirementsInclude {
  /** Path relative to the scan root, resolved against the including file. */
  path: string;
  constraint: boolean;
  line: number;
}

/** One logical line: continuations joined, comment stripped, with the number of its first physical line. */
interface LogicalLine {
  text: string;
  line: number;
}

function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let buffer = '';
  let start = 0;
  for (let i = 0; i < physical.length && i < MAX_LINES; i++) {
    if (buffer === '') start = i + 1;
    const raw = physical[i];
    // pip strips comments before joining continuations: `#` at the start or after whitespace.
    const withoutComment = raw.replace(/(^|\s)#.*$/, '$1');
    if (/\\$/.test(withoutComment) && withoutComment === raw) {
      buffer += `${withoutComment.slice(0, -1)} `;
      continue;
    }
    buffer += withoutComment;
    if (buffer.trim() !== '') lines.push({ text: buffer.trim(), line: start });
    buffer = '';
  }
  if (buffer.trim() !== '') lines.push({ text: buffer.trim(), line: start });
  return lines;
}

/** Splits `-r file`, `--requirement=file`, `-rfile` into option and value. */
function splitOption(
  tokens: string[],
  index: number,
): { option: string; value?: string; consumed: number } {
  const token = tokens[index];
  const eq = token.indexOf('=');
  if (token.startsWith('--')) {
    if (eq > 0)
      return {
        option: token.slice(0, eq),
        value: token.slice(eq + 1),
        consumed: 1,
      };
    return { option: token, value: tokens[index + 1], consumed: 2 };
  }
  if (token.length > 2)
    return {
      option: token.slice(0, 2),
      value: token.slice(2).replace(/^=/, ''),
      consumed: 1,
    };
  return { option: token, value: tokens[index + 1], consumed: 2 };
}

const FLAG_OPTIONS = new Set([
  '--no-index',
  '--require-hashes',
  '--pre',
  '--prefer-binary',
  '-Z',
  '--always-unzip',
]);
/** Options that name where packages come from, and the list each one fills. */
const LOCATION_OPTIONS: Record<
  string,
  'indexUrls' | 'extraIndexUrls' | 'findLinks'
> = {
  '-i': 'indexUrls',
  '--index-url': 'indexUrls',
  '--extra-index-url': 'extraIndexUrls',
  '-f': 'findLinks',
  '--find-links': 'findLinks',
};
const IGNORED_VALUE_OPTIONS = new Set([
  '--only-binary',
  '--no-binary',
  '--use-feature',
  '--config-settings',
]);
const VCS_OR_URL = /^(?:git|hg|svn|bzr)\+|^[a-z][a-z0-9+.-]*:\/\//i;
const ENV_VAR = /\$\{[A-Z0-9_]+\}/;

/** Name of a distribution referenced by URL: `#egg=name` or a wheel/sdist filename. */
function nameFromUrl(url: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (egg) return egg[1];
  const file = url.split(/[?#]/)[0].split('/').pop() ?? '';
  const wheel =
    /^([A-Za-z0-9][A-Za-z0-9._]*)-\d[^-]*(?:-[^-]+){2,3}\.whl$/.exec(file);
  if (wheel) return wheel[1];
  const sdist =
    /^([A-Za-z0-9][A-Za-z0-9._-]*?)-\d[\w.+!-]*\.(?:tar\.gz|zip|tar\.bz2)$/.exec(
      file,
    );
  return sdist?.[1];
}

/** A VCS URL pinned to a full commit hash cannot change under us; a branch or tag can. */
export function isCommitPinned(url: string): boolean {
  return /@[0-9a-f]{40}(?:[#?]|$)/i.test(url);
}

function isLocalPath(text: string): boolean {
  return (
    /^(?:\.{1,2}[\\/]|[\\/]|~|[A-Za-z]:[\\/])/.test(text) ||
    /\.(?:whl|tar\.gz|zip)$/i.test(text) ||
    text === '.'
  );
}

/**
 * Parses one requirements (or constraints) file. Includes are returned for the caller to resolve:
 * this function only sees text.
 */
export function parseRequirementsText(
  text: string,
  file: string,
  options: { constraint?: boolean } = {},
): { result: ManifestResult; includes: RequirementsInclude[] } {
  const result = emptyResult('requirements', file);
  const includes: RequirementsInclude[] = [];
  const dir = posix.dirname(file);
  const problem = (
    message: string,
    line: number,
    severity: 'medium' | 'low' = 'medium',
  ) => result.problems.push({ file, message, line, severity });

  for (const { text: lineText, line } of logicalLines(text)) {
    const tokens = lineText.split(/\s+/).filter(Boolean);
    if (
      tokens[0].startsWith('-') &&
      !/^-e$|^--editable(=|$)|^-e\S/.test(tokens[0])
    ) {
      // A line of global options.
      for (let i = 0; i < tokens.length; ) {
        if (FLAG_OPTIONS.has(tokens[i])) {
          if (tokens[i] === '--no-index') result.indexes.noIndex = true;
          if (tokens[i] === '--require-hashes')
            result.indexes.requireHashes = true;
          i++;
          continue;
        }
        const { option, value, consumed } = splitOption(tokens, i);
        i += consumed;
        switch (option) {
          case '-r':
          case '--requirement':
          case '-c':
          case '--constraint': {
            if (!value) {
              problem(`${option} without a file name`, line);
              break;
            }
            const constraint = option === '-c' || option === '--constraint';
            if (VCS_OR_URL.test(value)) {
              problem(
                `remote include ${snippetOf(
                  value,
                )} is not followed: its content was not analysed`,
                line,
              );
              break;
            }
            // Absolute and climbing paths are kept as written: the scan tree refuses them, with
            // the one finding every refused path gets.
            const written = value.replace(/\\/g, '/');
            const absolute =
              posix.isAbsolute(written) || /^[A-Za-z]:/.test(written);
            includes.push({
              path: absolute
                ? written
                : posix.normalize(posix.join(dir, written)),
              constraint,
              line,
            });
            break;
          }
          default: {
            const list = Object.hasOwn(LOCATION_OPTIONS, option)
              ? LOCATION_OPTIONS[option]
              : undefined;
            if (list && value)
              result.indexes[list].push({ url: value, line, file });
            else if (list) problem(`${option} without a location`, line);
            else if (option === '--trusted-host' && value)
              result.indexes.trustedHosts.push({ host: value, line, file });
            else if (option === '--trusted-host')
              problem('--trusted-host without a host', line);
            else if (!IGNORED_VALUE_OPTIONS.has(option))
              problem(`unknown option ${option}`, line, 'low');
          }
        }
      }
      continue;
    }
    const requirement = parseRequirementLine(
      tokens,
      file,
      line,
      lineText,
      problem,
    );
    if (requirement) {
      if (options.constraint) requirement.constraintOnly = true;
      result.requirements.push(requirement);
    }
  }
  return { result, includes };
}

function parseRequirementLine(
  lineTokens: string[],
  file: string,
  line: number,
  lineText: string,
  problem: (message: string, line: number, severity?: 'medium' | 'low') => void,
): DeclaredRequirement | undefined {
  let tokens = lineTokens;
  let editable = false;
  let index = 0;
  const first = tokens[0];
  if (first === '-e' || first === '--editable') {
    editable = true;
    index = 1;
  } else if (first.startsWith('--editable=')) {
    editable = true;
    tokens = [first.slice('--editable='.length), ...tokens.slice(1)];
  } else if (first.startsWith('-e')) {
    editable = true;
    tokens = [first.slice(2), ...tokens.slice(1)];
  }
  // The requirement runs until the first per-requirement option (`--hash`, `--config-settings`...).
  const optionStart = tokens.findIndex(
    (token, i) => i >= index && token.startsWith('--'),
  );
  const body = tokens
    .slice(index, optionStart < 0 ? undefined : optionStart)
    .join(' ');
  const hashes: string[] = [];
  if (optionStart >= 0) {
    for (let i = optionStart; i < tokens.length; ) {
      const { option, value, consumed } = splitOption(tokens, i);
      i += consumed;
      if (option === '--hash') {
        if (value && /^[a-z0-9]+:[0-9a-f]+$/i.test(value)) hashes.push(value);
        else problem(`malformed --hash ${snippetOf(value ?? '')}`, line);
      } else if (
        option !== '--config-settings' &&
        option !== '--global-option' &&
        option !== '--install-option'
      ) {
        problem(`unknown requirement option ${option}`, line, 'low');
      }
    }
  }
  if (body === '') {
    problem(
      editable
        ? '-e without a project path or URL'
        : 'requirement options without a requirement',
      line,
    );
    return undefined;
  }
  const base = {
    extras: [],
    specifier: '',
    clauses: [],
    hashes,
    editable,
    file,
    line,
    snippet: snippetOf(lineText),
  };

  if (
    VCS_OR_URL.test(body) ||
    (editable && isLocalPath(body)) ||
    isLocalPath(body)
  ) {
    const url = body.split(/\s+;/)[0].trim();
    const rawName = nameFromUrl(url);
    return {
      ...base,
      rawName,
      name: rawName ? normalizeName(rawName) : undefined,
      url,
      urlPinnedToCommit: isCommitPinned(url),
      marker: body.includes(';')
        ? body.slice(body.indexOf(';') + 1).trim()
        : undefined,
    };
  }
  const parsed = parsePep508(body);
  if (!parsed.ok) {
    if (!ENV_VAR.test(body)) {
      problem(parsed.error, line);
      return undefined;
    }
    // `numpy==${NUMPY_VERSION}`: the package is known even though its version is not.
    problem(
      `requirement "${snippetOf(
        body,
      )}" uses an environment variable and cannot be read statically`,
      line,
      'low',
    );
    const nameOnly = parsePep508(body.replace(/[<>=!~;@].*$/, ''));
    if (!nameOnly.ok) return undefined;
    return {
      ...base,
      rawName: nameOnly.requirement.rawName,
      name: nameOnly.requirement.name,
      extras: nameOnly.requirement.extras,
      specifier: body.slice(nameOnly.requirement.rawName.length).trim(),
    };
  }
  const { requirement } = parsed;
  return {
    ...base,
    rawName: requirement.rawName,
    name: requirement.name,
    extras: requirement.extras,
    specifier: requirement.specifier,
    clauses: requirement.clauses,
    pinned: requirement.pinned,
    url: requirement.url,
    urlPinnedToCommit: requirement.url
      ? isCommitPinned(requirement.url)
      : undefined,
    marker: requirement.marker,
  };
}

/** The error's code or message, without the absolute path Node puts in ENOENT-style messages. */
function readErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code ?? (error as Error)?.message ?? String(error);
}

/**
 * Parses a requirements file and everything it includes with `-r`/`-c`, relative to the including
 * file, with a cycle guard and a depth cap. Unreadable includes are parse problems.
 */
export async function loadRequirementsFile(
  file: string,
  readText: (path: string, request?: PathRequest) => Promise<string>,
  options: { constraint?: boolean; maxDepth?: number } = {},
): Promise<ManifestResult> {
  const maxDepth = options.maxDepth ?? MAX_INCLUDE_DEPTH;
  const merged = emptyResult('requirements', file);
  const visit = async (
    path: string,
    constraint: boolean,
    stack: string[],
    from?: { file: string; line: number },
  ) => {
    if (stack.includes(path)) {
      merged.problems.push({
        file: from?.file ?? path,
        line: from?.line,
        message: `include cycle: ${[...stack, path].join(' → ')}`,
      });
      return;
    }
    if (stack.length > maxDepth) {
      merged.problems.push({
        file: from?.file ?? path,
        line: from?.line,
        message: `includes nested deeper than ${maxDepth} levels; ${path} not analysed`,
      });
      return;
    }
    let text: string;
    try {
      text = await readText(
        path,
        from ? { from: { path: from.file, line: from.line } } : undefined,
      );
    } catch (error) {
      // A refused path is already a SCAN-PATH-ESCAPE finding; its error says nothing more.
      if (error instanceof PathEscapeError) return;
      merged.problems.push({
        file: from?.file ?? path,
        line: from?.line,
        message: `cannot read ${path}: ${readErrorText(error)}`,
      });
      return;
    }
    if (path !== file && !merged.includedFiles.includes(path))
      merged.includedFiles.push(path);
    const { result, includes } = parseRequirementsText(text, path, {
      constraint,
    });
    merged.requirements.push(...result.requirements);
    merged.problems.push(...result.problems);
    const target = merged.indexes;
    target.indexUrls.push(...result.indexes.indexUrls);
    target.extraIndexUrls.push(...result.indexes.extraIndexUrls);
    target.findLinks.push(...result.indexes.findLinks);
    target.trustedHosts.push(...result.indexes.trustedHosts);
    target.noIndex ||= result.indexes.noIndex;
    target.requireHashes ||= result.indexes.requireHashes;
    for (const include of includes) {
      await visit(
        include.path,
        constraint || include.constraint,
        [...stack, path],
        { file: path, line: include.line },
      );
    }
  };
  await visit(file, options.constraint ?? false, []);
  return merged;
}
