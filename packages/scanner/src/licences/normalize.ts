import type { SpdxNode } from 'spdx-expression-parse';
import { huggingFaceLicence } from './huggingFace';

/** A licence as an SPDX expression, and whether we had to guess it from free text. */
export interface NormalizedLicence {
  expression: string;
  guessed: boolean;
  /** How we got it: `spdx`, `hugging-face`, `classifier`, `corrected`, `text`. */
  via: 'spdx' | 'hugging-face' | 'classifier' | 'corrected' | 'text';
}

// The SPDX libraries and ID tables are loaded on first use (a scan without licences never pays for them).
let spdxParser: typeof import('spdx-expression-parse') | undefined;
let spdxCorrector: typeof import('spdx-correct') | undefined;
let canonicalIds: Map<string, string> | undefined;
function parseSpdx(expression: string): SpdxNode {
  return (spdxParser ??= require('spdx-expression-parse'))(expression);
}
function correct(text: string): string | null {
  return (spdxCorrector ??= require('spdx-correct'))(text);
}
function canonicalIdsTable(): Map<string, string> {
  const ids: string[] = require('spdx-license-ids');
  const deprecated: string[] = require('spdx-license-ids/deprecated.json');
  return (canonicalIds ??= new Map(
    [...deprecated, ...ids].map(id => [id.toLowerCase(), id]),
  ));
}
const MAX_EXPRESSION_LENGTH = 500;

export function parseExpression(expression: string): SpdxNode | undefined {
  if (expression.length > MAX_EXPRESSION_LENGTH) return undefined;
  try {
    return parseSpdx(expression);
  } catch {
    return undefined;
  }
}

/** Rewrites IDs in their canonical case (`apache-2.0 or mit` → `Apache-2.0 OR MIT`). */
function canonicalCase(expression: string): string {
  return expression.replace(/[A-Za-z0-9][A-Za-z0-9.+-]*/g, token => {
    const lower = token.toLowerCase();
    if (lower === 'and' || lower === 'or' || lower === 'with')
      return lower.toUpperCase();
    if (lower.startsWith('licenseref-'))
      return `LicenseRef-${token.slice('licenseref-'.length)}`;
    const plus = lower.endsWith('+') ? '+' : '';
    return (
      (canonicalIdsTable().get(plus ? lower.slice(0, -1) : lower) ??
        token.slice(0, token.length - plus.length)) + plus
    );
  });
}

/** First lines of well-known licence texts, for `License:` headers that paste the whole text. */
const TEXT_SIGNATURES: [RegExp, string][] = [
  [/GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3/i, 'AGPL-3.0-only'],
  [/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3/i, 'LGPL-3.0-only'],
  [/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1/i, 'LGPL-2.1-only'],
  [/GNU GENERAL PUBLIC LICENSE\s+Version 3/i, 'GPL-3.0-only'],
  [/GNU GENERAL PUBLIC LICENSE\s+Version 2/i, 'GPL-2.0-only'],
  [/Apache License,?\s+Version 2\.0/i, 'Apache-2.0'],
  [/Mozilla Public License,?\s+(Version|v\.?)\s*2\.0/i, 'MPL-2.0'],
  [/Permission is hereby granted, free of charge/i, 'MIT'],
  [
    /Neither the name of|names of its contributors may be used/i,
    'BSD-3-Clause',
  ],
  [/Redistribution and use in source and binary forms/i, 'BSD-2-Clause'],
  [
    /Permission to use, copy, modify, and\/or distribute this software for any purpose/i,
    'ISC',
  ],
];

/**
 * Turns what a package or model card declares into an SPDX expression: an exact SPDX expression
 * (any case), a Hugging Face ID, or — marked guessed — a corrected name or a recognised licence text.
 * `other` with a `license_name` becomes `LicenseRef-<name>`.
 */
export function normalizeLicence(
  raw: string | undefined,
  hints: { licenseName?: string } = {},
): NormalizedLicence | undefined {
  const text = raw?.trim();
  if (!text || /^(unknown|none|n\/a|-)$/i.test(text)) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'other') {
    const name = hints.licenseName
      ?.trim()
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^-|-$/g, '');
    return {
      expression: name ? `LicenseRef-${name}` : 'LicenseRef-other',
      guessed: false,
      via: 'hugging-face',
    };
  }
  const hf = huggingFaceLicence(lower);
  if (hf) return { expression: hf, guessed: false, via: 'hugging-face' };
  if (!text.includes('\n') && text.length <= MAX_EXPRESSION_LENGTH) {
    const canonical = canonicalCase(text);
    if (parseExpression(canonical))
      return { expression: canonical, guessed: false, via: 'spdx' };
  }
  if (text.length <= 80 && !text.includes('\n')) {
    const corrected = safeCorrect(text);
    if (corrected)
      return { expression: corrected, guessed: true, via: 'corrected' };
    if (/proprietary|all rights reserved|commercial/i.test(text))
      return {
        expression: 'LicenseRef-proprietary',
        guessed: true,
        via: 'corrected',
      };
    return undefined;
  }
  const head = text.slice(0, 2000);
  for (const [pattern, id] of TEXT_SIGNATURES)
    if (pattern.test(head))
      return { expression: id, guessed: true, via: 'text' };
  const firstLine = text.split('\n')[0].trim();
  const corrected = firstLine.length <= 80 ? safeCorrect(firstLine) : undefined;
  return corrected
    ? { expression: corrected, guessed: true, via: 'text' }
    : undefined;
}

function safeCorrect(text: string): string | undefined {
  try {
    return correct(text) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Trove classifiers (`License :: OSI Approved :: MIT License`) to SPDX. */
const CLASSIFIERS: Record<string, string> = {
  'MIT License': 'MIT',
  'MIT No Attribution License (MIT-0)': 'MIT-0',
  'Apache Software License': 'Apache-2.0',
  'BSD License': 'LicenseRef-bsd',
  'ISC License (ISCL)': 'ISC',
  'Python Software Foundation License': 'PSF-2.0',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'GNU Lesser General Public License v2 or later (LGPLv2+)':
    'LGPL-2.0-or-later',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'GNU Lesser General Public License v3 or later (LGPLv3+)':
    'LGPL-3.0-or-later',
  'GNU Library or Lesser General Public License (LGPL)': 'LicenseRef-lgpl',
  'GNU General Public License (GPL)': 'LicenseRef-gpl',
  'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'GNU Affero General Public License v3': 'AGPL-3.0-only',
  'GNU Affero General Public License v3 or later (AGPLv3+)':
    'AGPL-3.0-or-later',
  'Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'The Unlicense (Unlicense)': 'Unlicense',
  'zlib/libpng License': 'Zlib',
  'Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'Historical Permission Notice and Disclaimer (HPND)': 'HPND',
  'Other/Proprietary License': 'LicenseRef-proprietary',
  'CC0 1.0 Universal (CC0 1.0) Public Domain Dedication': 'CC0-1.0',
};

export function licenceFromClassifiers(
  classifiers: readonly string[],
): string | undefined {
  const ids = new Set<string>();
  for (const classifier of classifiers) {
    const last =
      classifier
        .split('::')
        .map(part => part.trim())
        .pop() ?? '';
    const id = Object.hasOwn(CLASSIFIERS, last) ? CLASSIFIERS[last] : undefined;
    if (id) ids.add(id);
  }
  return ids.size === 0 ? undefined : [...ids].join(' OR ');
}

/**
 * The licence of an installed distribution from its core metadata: `License-Expression` (PEP 639),
 * else an exact SPDX `License`, else classifiers, else a guess from the `License` text.
 */
export function licenceFromMetadata(metadata: {
  expression?: string;
  text?: string;
  classifiers: readonly string[];
}): NormalizedLicence | undefined {
  if (metadata.expression) {
    const fromExpression = normalizeLicence(metadata.expression);
    if (fromExpression) return fromExpression;
  }
  const text = metadata.text?.trim();
  if (text && !text.includes('\n')) {
    const canonical = canonicalCase(text);
    if (text.length <= MAX_EXPRESSION_LENGTH && parseExpression(canonical))
      return { expression: canonical, guessed: false, via: 'spdx' };
  }
  const classified = licenceFromClassifiers(metadata.classifiers);
  if (classified)
    return { expression: classified, guessed: false, via: 'classifier' };
  return normalizeLicence(text);
}
