import {
  ACTIVE_CONTENT,
  INVISIBLE_CONTROL_RUN,
  PASTE_AND_FILE_HOSTS,
  PROMPT_INJECTION,
  SPREADSHEET_FORMULA,
  TAG_CHARACTERS,
  URL_SHORTENERS,
} from './signatures';

export interface CellFinding {
  ruleId:
    | 'DATA-ACTIVE-CONTENT'
    | 'DATA-SUSPICIOUS-URL'
    | 'DATA-PROMPT-INJECTION';
  signature: string;
  reason: string;
  /** What matched, short (a URL host, the signature text). */
  match: string;
}

/** Cheap gate: a cell without any of these cannot match a signature (most cells are plain prose or numbers). */
const MAYBE_SUSPICIOUS =
  /[<:=+@\u200B-\u206F\uFEFF\uDB40]|^\s*-|ignore|disregard|forget|override|system|you are|act as|pretend|anything now|developer mode|reveal|repeat|print|output/i;
const URL = /\bhttps?:\/\/[^\s"'<>)\]}]+/gi;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Host of an http(s) URL without building a URL object (hot path: one call per link in every cell). */
const HOST = /^https?:\/\/(?:[^@/?#\s]*@)?(\[[^\]]*\]|[^:/?#\s]+)/i;
function hostOf(url: string): string | undefined {
  return HOST.exec(url)?.[1].toLowerCase().replace(/\.$/, '');
}

function listed(
  host: string,
  list: ReadonlyMap<string, string>,
): string | undefined {
  for (const [name, reason] of list)
    if (host === name || host.endsWith(`.${name}`)) return reason;
  return undefined;
}

function urlFinding(url: string): CellFinding | undefined {
  const host = hostOf(url);
  if (!host) return undefined;
  const found = (signature: string, reason: string): CellFinding => ({
    ruleId: 'DATA-SUSPICIOUS-URL',
    signature,
    reason,
    match: host,
  });
  if (IPV4.test(host) || host.startsWith('['))
    return found(
      'ip-literal-host',
      'A raw IP address instead of a name: no domain owner to trust or block.',
    );
  if (host.split('.').some(label => label.startsWith('xn--')))
    return found(
      'punycode-host',
      'An internationalised name that can impersonate a familiar domain.',
    );
  const paste = listed(host, PASTE_AND_FILE_HOSTS);
  if (paste) return found('paste-or-file-host', paste);
  const shortener = listed(host, URL_SHORTENERS);
  if (shortener) return found('url-shortener', shortener);
  return undefined;
}

/** Everything suspicious about one cell. `spreadsheet` enables the formula check (CSV/TSV). */
export function analyseCell(
  value: string,
  spreadsheet: boolean,
): CellFinding[] {
  const findings: CellFinding[] = [];
  if (!MAYBE_SUSPICIOUS.test(value)) return findings;
  if (spreadsheet && SPREADSHEET_FORMULA.pattern.test(value))
    findings.push({
      ruleId: 'DATA-ACTIVE-CONTENT',
      signature: SPREADSHEET_FORMULA.id,
      reason: SPREADSHEET_FORMULA.reason,
      match: value.trim().slice(0, 60),
    });
  for (const signature of ACTIVE_CONTENT) {
    const match = signature.pattern.exec(value);
    if (match)
      findings.push({
        ruleId: 'DATA-ACTIVE-CONTENT',
        signature: signature.id,
        reason: signature.reason,
        match: match[0],
      });
  }
  if (value.includes('://')) {
    const seen = new Set<string>();
    for (const [url] of value.matchAll(URL)) {
      const finding = urlFinding(url);
      if (finding && !seen.has(finding.signature + finding.match)) {
        seen.add(finding.signature + finding.match);
        findings.push(finding);
      }
    }
  }
  for (const signature of PROMPT_INJECTION) {
    const match = signature.pattern.exec(value);
    if (match)
      findings.push({
        ruleId: 'DATA-PROMPT-INJECTION',
        signature: signature.id,
        reason: signature.reason,
        match: match[0].trim(),
      });
  }
  if (TAG_CHARACTERS.test(value))
    findings.push({
      ruleId: 'DATA-PROMPT-INJECTION',
      signature: 'unicode-tag-characters',
      reason:
        'Invisible Unicode tag characters: instructions a model reads and a reviewer does not see.',
      match: 'U+E00xx run',
    });
  if (INVISIBLE_CONTROL_RUN.test(value))
    findings.push({
      ruleId: 'DATA-PROMPT-INJECTION',
      signature: 'invisible-control-run',
      reason:
        'A run of zero-width or bidi control characters hides or reorders text.',
      match: 'zero-width/bidi run',
    });
  return findings;
}
