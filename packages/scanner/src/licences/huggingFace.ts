/**
 * Hugging Face model-card `license:` IDs (lower case) that are not SPDX IDs as written, mapped to
 * SPDX or to a `LicenseRef-` of our own. IDs that are SPDX IDs in lower case (`mit`, `cc-by-4.0`...)
 * are resolved by the case-insensitive SPDX lookup instead.
 */
export const HUGGING_FACE_LICENCES: Record<string, string> = {
  'agpl-3.0': 'AGPL-3.0-only',
  'gpl-2.0': 'GPL-2.0-only',
  'gpl-3.0': 'GPL-3.0-only',
  'lgpl-2.1': 'LGPL-2.1-only',
  'lgpl-3.0': 'LGPL-3.0-only',
  gpl: 'LicenseRef-gpl',
  lgpl: 'LicenseRef-lgpl',
  gfdl: 'LicenseRef-gfdl',
  'lgpl-lr': 'LGPL-LR',
  bsd: 'LicenseRef-bsd',
  cc: 'LicenseRef-cc',
  'c-uda': 'C-UDA-1.0',
  openrail: 'LicenseRef-openrail',
  'openrail++': 'LicenseRef-openrail-plus-plus',
  'creativeml-openrail-m': 'LicenseRef-creativeml-openrail-m',
  'bigscience-openrail-m': 'LicenseRef-bigscience-openrail-m',
  'bigscience-bloom-rail-1.0': 'LicenseRef-bigscience-bloom-rail-1.0',
  'bigcode-openrail-m': 'LicenseRef-bigcode-openrail-m',
  llama2: 'LicenseRef-llama2',
  llama3: 'LicenseRef-llama3',
  'llama3.1': 'LicenseRef-llama3.1',
  'llama3.2': 'LicenseRef-llama3.2',
  'llama3.3': 'LicenseRef-llama3.3',
  llama4: 'LicenseRef-llama4',
  gemma: 'LicenseRef-gemma',
  'deepfloyd-if-license': 'LicenseRef-deepfloyd-if-license',
  'fair-noncommercial-research-license':
    'LicenseRef-fair-noncommercial-research-license',
  'h-research': 'LicenseRef-h-research',
  'intel-research': 'LicenseRef-intel-research',
  'apple-ascl': 'LicenseRef-apple-ascl',
  'apple-amlr': 'LicenseRef-apple-amlr',
  'openmdw-1.0': 'LicenseRef-openmdw-1.0',
  'etalab-2.0': 'etalab-2.0',
  'cdla-sharing-1.0': 'CDLA-Sharing-1.0',
  'cdla-permissive-1.0': 'CDLA-Permissive-1.0',
  'cdla-permissive-2.0': 'CDLA-Permissive-2.0',
  odbl: 'ODbL-1.0',
  'odc-by': 'ODC-By-1.0',
  pddl: 'PDDL-1.0',
  'ofl-1.1': 'OFL-1.1',
};

/** The SPDX/`LicenseRef-` for a lower-case Hugging Face ID (own keys only: `constructor` is not a licence). */
export function huggingFaceLicence(id: string): string | undefined {
  return Object.hasOwn(HUGGING_FACE_LICENCES, id)
    ? HUGGING_FACE_LICENCES[id]
    : undefined;
}
