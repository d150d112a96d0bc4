import { severityRank, type Severity } from '../../../model/severity';
import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import { signalAt, snippetOf } from './signals';
import { findSubscriptInjection } from './templateSubscripts';

/**
 * Signs that a Jinja chat template escapes to Python (the CVE-2024-34359 class): sandbox-less
 * renderers let `{{ x.__class__.__mro__[1].__subclasses__() }}` reach `os.popen`. Real chat
 * templates use loops, conditionals, `namespace()`, filters like `tojson`/`trim`, and never need
 * Python dunders, so any dunder access is treated as an attack.
 */
interface TemplatePattern {
  id: string;
  pattern: RegExp;
  severity: Severity;
  why: string;
}

const TEMPLATE_PATTERNS: readonly TemplatePattern[] = [
  {
    id: 'dunder',
    pattern:
      /__(?:class|mro|base|bases|subclasses|globals|builtins|import|init|dict|code|getattribute|func|self|module|loader|spec|reduce|reduce_ex|getitem|call)__/,
    severity: 'critical',
    why: 'reaches Python object internals',
  },
  {
    id: 'os-call',
    pattern:
      /\b(?:os|posix|nt)\s*\.\s*(?:popen|system|exec\w*|spawn\w*|fork|remove|unlink)\b|\bsubprocess\b|\bimport_module\b/,
    severity: 'critical',
    why: 'names an operating-system call',
  },
  {
    id: 'escaped-underscore',
    pattern: /\\x5f|\\u005f|\\137|\\N\{LOW LINE\}/i,
    severity: 'high',
    why: 'spells underscores with escapes, a way to hide dunder names from filters',
  },
  {
    id: 'attr-filter',
    pattern: /\|\s*attr\s*\(/,
    severity: 'high',
    why: 'uses the `attr` filter, which reaches attributes by computed name',
  },
  {
    id: 'built-underscores',
    pattern: /(['"])_\1\s*\*\s*2|(['"])_\2\s*~\s*(['"])_\3/,
    severity: 'high',
    why: 'builds underscores at render time',
  },
];

export interface TemplateInjection {
  id: string;
  severity: Severity;
  why: string;
  /** The matching part of the template with some context. */
  excerpt: string;
}

/** Every suspicious construct in a Jinja template (one per pattern), most severe first. */
export function findTemplateInjection(template: string): TemplateInjection[] {
  const hits: TemplateInjection[] = [];
  const excerpt = (index: number, length: number) =>
    template.slice(Math.max(0, index - 60), index + length + 60);
  for (const { id, pattern, severity, why } of TEMPLATE_PATTERNS) {
    const match = pattern.exec(template);
    if (!match) continue;
    hits.push({
      id,
      severity,
      why,
      excerpt: excerpt(match.index, match[0].length),
    });
  }
  // Names built at render time: one entry per kind, its most severe instance.
  const computed = new Map<string, TemplateInjection>();
  for (const hit of findSubscriptInjection(template)) {
    const kept = computed.get(hit.id);
    if (kept && severityRank(kept.severity) >= severityRank(hit.severity))
      continue;
    computed.set(hit.id, {
      id: hit.id,
      severity: hit.severity,
      why: hit.why,
      excerpt: excerpt(hit.index, hit.length),
    });
  }
  hits.push(...computed.values());
  return hits.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity),
  );
}

/** One finding per template: graded by its most severe construct, listing all of them. */
export function reportChatTemplate(
  input: ReaderInput,
  ctx: ReaderContext,
  key: string,
  template: string,
): void {
  const hits = findTemplateInjection(template);
  if (hits.length === 0) return;
  const [worst] = hits;
  ctx.emit(
    signalAt(
      input,
      'MODEL-CHAT-TEMPLATE-INJECTION',
      `${key} ${hits.map(h => h.why).join('; ')}`,
      key,
      {
        metadataKey: key,
        pattern: worst.id,
        patterns: hits.map(h => h.id),
        snippet: snippetOf(worst.excerpt),
      },
      { severity: worst.severity },
    ),
  );
}
