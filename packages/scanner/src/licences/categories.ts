/** What a licence asks of us, coarsely: the unit policies decide on. */
export const LICENCE_CATEGORIES = [
  'permissive',
  'weak-copyleft',
  'strong-copyleft',
  'network-copyleft',
  'non-commercial',
  'use-restricted',
  'vendor-community',
  'proprietary',
  'unknown',
] as const;
export type LicenceCategory = (typeof LICENCE_CATEGORIES)[number];

/** Patterns over the family ID (upper case, `-only`/`-or-later`/`+` removed), first match wins. */
const CATEGORY_PATTERNS: [RegExp, LicenceCategory][] = [
  [/^(AGPL|SSPL|OSL|RPL|CPAL)-/, 'network-copyleft'],
  [
    /^CC-BY(-SA)?-NC|^CC-BY-NC|NONCOMMERCIAL|-RESEARCH|^LICENSEREF-(DEEPFLOYD|APPLE-AMLR|H-RESEARCH|INTEL-RESEARCH)/,
    'non-commercial',
  ],
  [/OPENRAIL|-RAIL-|^CC-BY(-NC)?-ND|^C-UDA/, 'use-restricted'],
  [/^LICENSEREF-(LLAMA|GEMMA)/, 'vendor-community'],
  [/PROPRIETARY|COMMERCIAL/, 'proprietary'],
  [/^(GPL|EUPL|CECILL-2|LICENSEREF-GPL$)/, 'strong-copyleft'],
  [
    /^(LGPL|MPL|EPL|CDDL|MS-RL|CC-BY-SA|CDLA-SHARING|ODBL|GFDL|OFL|LICENSEREF-(LGPL|GFDL)$|CECILL-C|APSL)/,
    'weak-copyleft',
  ],
  [
    /^(MIT|MIT-0|APACHE-|BSD-|0BSD|ISC|ZLIB|UNLICENSE|CC0-|CC-BY-\d|PSF-|PYTHON-|BSL-1\.0|AFL-|ARTISTIC-2|ECL-|POSTGRESQL|NCSA|MS-PL|CDLA-PERMISSIVE|ODC-BY|PDDL|WTFPL|ETALAB|HPND|X11|BLUEOAK|UNICODE|UPL-|ZPL-|CURL|LPPL|LICENSEREF-(BSD|APPLE-ASCL|OPENMDW))/,
    'permissive',
  ],
];

/** `GPL-3.0-or-later`, `GPL-3.0-only`, `GPL-3.0+` → `GPL-3.0`: what a policy ID without suffix matches. */
export function licenceFamily(id: string): string {
  return id.replace(/\+$/, '').replace(/-(only|or-later)$/i, '');
}

export function categoryOf(id: string): LicenceCategory {
  const family = licenceFamily(id).toUpperCase();
  if (family === 'LICENSEREF-UNKNOWN' || family === 'LICENSEREF-OTHER')
    return 'unknown';
  for (const [pattern, category] of CATEGORY_PATTERNS)
    if (pattern.test(family)) return category;
  return 'unknown';
}

/** Exceptions that turn a copyleft licence into one that does not reach our code. */
export function categoryWithException(
  id: string,
  exception: string | undefined,
): LicenceCategory {
  const base = categoryOf(id);
  if (!exception) return base;
  if (/LLVM-exception/i.test(exception)) return 'permissive';
  if (
    /Classpath|GCC-exception|linking|Autoconf|Bison|Font-exception/i.test(
      exception,
    ) &&
    (base === 'strong-copyleft' || base === 'weak-copyleft')
  ) {
    return 'weak-copyleft';
  }
  return base;
}
