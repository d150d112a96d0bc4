import { emptyResult, type ManifestResult } from '../model';
import { normalizeName } from '../names';
import { requirementFromPep508 } from './pyproject';

interface IniValue {
  value: string;
  line: number;
  /** Line of each continuation line, for multi-line values. */
  lines: { text: string; line: number }[];
}

/**
 * A configparser-compatible reader: `[section]`, `key = value` or `key: value`, values continued on
 * indented lines (how `install_requires` is written), `#`/`;` comment lines.
 */
export function readIni(text: string): Map<string, Map<string, IniValue>> {
  const sections = new Map<string, Map<string, IniValue>>();
  let section: Map<string, IniValue> | undefined;
  let current: IniValue | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const number = i + 1;
    if (/^\s*[#;]/.test(raw)) continue;
    if (raw.trim() === '') {
      current = undefined;
      continue;
    }
    if (/^\s/.test(raw) && current) {
      current.lines.push({ text: raw.trim(), line: number });
      current.value += `\n${raw.trim()}`;
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header) {
      section = new Map();
      sections.set(header[1].trim(), section);
      current = undefined;
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (pair && section) {
      const value = pair[2].trim();
      current = {
        value,
        line: number,
        lines: value ? [{ text: value, line: number }] : [],
      };
      section.set(pair[1].trim().toLowerCase(), current);
    } else {
      current = undefined;
    }
  }
  return sections;
}

/** `setup.cfg`: `[options] install_requires`, `[options.extras_require]`, `[metadata] name`. */
export function parseSetupCfg(text: string, file: string): ManifestResult {
  const result = emptyResult('setup-cfg', file);
  const ini = readIni(text);
  result.projectName = ini.get('metadata')?.get('name')?.value;
  const addLines = (value: IniValue | undefined, group?: string) => {
    for (const { text: spec, line } of value?.lines ?? []) {
      const cleaned = spec.replace(/\s+#.*$/, '');
      if (!cleaned) continue;
      const requirement = requirementFromPep508(cleaned, file, line, group);
      if ('error' in requirement)
        result.problems.push({ file, line, message: requirement.error });
      else result.requirements.push(requirement);
    }
  };
  addLines(ini.get('options')?.get('install_requires'));
  for (const [extra, value] of ini.get('options.extras_require') ?? [])
    addLines(value, `optional:${normalizeName(extra)}`);
  return result;
}
