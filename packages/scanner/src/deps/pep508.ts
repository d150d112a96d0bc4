import { normalizeName } from './names';
import { parseSpecifierSet, pinnedVersion, type VersionClause } from './pep440';

/** A PEP 508 dependency specification, parsed without evaluating its marker. */
export interface Pep508Requirement {
  rawName: string;
  name: string;
  extras: string[];
  specifier: string;
  clauses: VersionClause[];
  pinned?: string;
  url?: string;
  marker?: string;
}

export type Pep508Result =
  | { ok: true; requirement: Pep508Requirement }
  | { ok: false; error: string };

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;
const MAX_LENGTH = 8192;

/**
 * Parses `name[extra1,extra2] (>=1,<2) ; python_version < "3.11"` or `name @ url ; marker`.
 * Markers are kept as text: evaluating them would need the target environment.
 */
export function parsePep508(input: string): Pep508Result {
  if (input.length > MAX_LENGTH)
    return {
      ok: false,
      error: `requirement longer than ${MAX_LENGTH} characters`,
    };
  let rest = input.trim();
  const nameMatch = NAME.exec(rest);
  if (!nameMatch)
    return {
      ok: false,
      error: `no distribution name in "${input.trim().slice(0, 80)}"`,
    };
  const rawName = nameMatch[1];
  rest = rest.slice(nameMatch[0].length);

  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0)
      return {
        ok: false,
        error: `unclosed extras in "${input.trim().slice(0, 80)}"`,
      };
    extras = rest
      .slice(1, close)
      .split(',')
      .map(extra => extra.trim())
      .filter(Boolean)
      .map(normalizeName);
    rest = rest.slice(close + 1).trim();
  }

  let url: string | undefined;
  let specifier = '';
  let marker: string | undefined;
  if (rest.startsWith('@')) {
    // The URL ends at whitespace followed by `;` (a `;` inside a URL is legal).
    const body = rest.slice(1).trim();
    const split = /\s+;/.exec(body);
    url = (split ? body.slice(0, split.index) : body).trim();
    marker = split
      ? body.slice(split.index + split[0].length).trim()
      : undefined;
    if (!url) return { ok: false, error: `empty URL after "@" for ${rawName}` };
  } else {
    const semicolon = rest.indexOf(';');
    specifier = (semicolon >= 0 ? rest.slice(0, semicolon) : rest).trim();
    marker = semicolon >= 0 ? rest.slice(semicolon + 1).trim() : undefined;
    if (specifier.startsWith('(') && specifier.endsWith(')'))
      specifier = specifier.slice(1, -1).trim();
  }
  const clauses = parseSpecifierSet(specifier);
  if (!clauses)
    return {
      ok: false,
      error: `invalid version specifier "${specifier.slice(
        0,
        80,
      )}" for ${rawName}`,
    };
  if (marker === '')
    return { ok: false, error: `empty marker after ";" for ${rawName}` };
  return {
    ok: true,
    requirement: {
      rawName,
      name: normalizeName(rawName),
      extras,
      specifier,
      clauses,
      pinned: pinnedVersion(clauses),
      url,
      marker,
    },
  };
}
