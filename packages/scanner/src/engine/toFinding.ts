import { posix, sep } from 'node:path';
import type { Signal } from '../model/evidence';
import type { Finding } from '../model/finding';
import { getRule } from '../rules/catalogue';
import { fingerprintOf } from './fingerprint';

export const RULES_DOCS_BASE =
  'https://github.com/ml-governance/ml-governance/blob/main/docs/rules.md';

/**
 * Joins a signal with its catalogue rule. An unknown rule ID is a programming error.
 * `displayRoot` (the scanned path as given) prefixes the file in the retest command so it can be run
 * from where the scan was; the fingerprint stays relative to the scanned root.
 */
export function toFinding(signal: Signal, displayRoot = ''): Finding {
  // A remote target (`hf://…@sha`, `gs://…`) is rescanned as a whole: a file path joined to it is no
  // URI its source accepts (and posix.join would fold `gs://` into `gs:/`).
  const remoteRoot = /^[a-z][a-z0-9+.-]*:\/\//i.test(displayRoot);
  const retestPath =
    displayRoot && signal.location.path !== '.' && !remoteRoot
      ? posix.join(displayRoot.split(sep).join('/'), signal.location.path)
      : displayRoot || signal.location.path;
  const rule = getRule(signal.ruleId);
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: signal.severity ?? rule.severity,
    cwe: rule.cwe,
    owaspLlm: rule.owaspLlm,
    message: signal.message,
    location: signal.location,
    evidence: signal.evidence,
    fix: rule.fix,
    retest: (rule.retest ?? 'mlgov scan {path}').replace(
      '{path}',
      shellQuote(retestPath),
    ),
    docsUrl: `${RULES_DOCS_BASE}#${rule.docsAnchor}`,
    fingerprint: fingerprintOf(signal),
  };
}

function shellQuote(value: string): string {
  return /^[\w./@%+=:,-]+$/.test(value)
    ? value
    : `'${value.replace(/'/g, `'\\''`)}'`;
}
