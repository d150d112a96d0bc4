import type { Severity } from '../../model/severity';

/**
 * Versions of ML libraries whose model loaders can be made to run code even when used "safely".
 * Source: the advisories named here (see docs/LIBRARIES.md "Facts that change severity").
 */
export interface LoaderAdvisory {
  package: string;
  ruleId: 'DEP-TORCH-LOAD-VULNERABLE' | 'DEP-KERAS-SAFE-MODE-BYPASS';
  id: string;
  /** Affected from this version (inclusive) ... */
  introduced?: string;
  /** ... up to this fixed version (exclusive). */
  fixed: string;
  /** A version known to be affected: used to tell whether an unpinned range admits the bug. */
  lastAffected: string;
  severity: Severity;
  summary: string;
}

export const LOADER_ADVISORIES: readonly LoaderAdvisory[] = [
  {
    package: 'torch',
    ruleId: 'DEP-TORCH-LOAD-VULNERABLE',
    id: 'CVE-2025-32434',
    fixed: '2.6.0',
    lastAffected: '2.5.1',
    severity: 'high',
    summary:
      'torch.load(weights_only=True) can still execute code from a crafted checkpoint',
  },
  {
    package: 'torch',
    ruleId: 'DEP-TORCH-LOAD-VULNERABLE',
    id: 'CVE-2026-24747',
    fixed: '2.10.0',
    lastAffected: '2.9.1',
    severity: 'medium',
    summary:
      'memory corruption in the weights-only unpickler on crafted checkpoints',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2025-1550',
    fixed: '3.9.0',
    lastAffected: '3.8.0',
    severity: 'high',
    summary:
      'load_model(safe_mode=True) runs arbitrary functions named in a .keras config',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2025-8747',
    introduced: '3.0.0',
    fixed: '3.11.0',
    lastAffected: '3.10.0',
    severity: 'high',
    summary:
      'safe_mode bypass through Keras-internal functions reachable from a model config',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2025-9906',
    introduced: '3.0.0',
    fixed: '3.11.0',
    lastAffected: '3.10.0',
    severity: 'high',
    summary:
      'a .keras config can switch safe mode off before Lambda layers are deserialised',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2025-9905',
    introduced: '3.0.0',
    fixed: '3.11.3',
    lastAffected: '3.11.2',
    severity: 'medium',
    summary: 'loading a legacy .h5 model ignores safe_mode: Lambda layers run',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2025-49655',
    introduced: '3.11.0',
    fixed: '3.11.3',
    lastAffected: '3.11.2',
    severity: 'high',
    summary:
      'TorchModuleWrapper in a .keras config is rebuilt with torch.load: a pickle runs with safe_mode on',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2025-12058',
    introduced: '3.0.0',
    fixed: '3.12.0',
    lastAffected: '3.11.3',
    severity: 'medium',
    summary:
      'StringLookup/IntegerLookup/TextVectorization vocabularies named by path or URL are read while loading',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2025-12060',
    introduced: '3.0.0',
    fixed: '3.12.0',
    lastAffected: '3.11.3',
    severity: 'medium',
    summary:
      'keras.utils.get_file(extract=True) writes outside its folder through crafted tar links',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2026-1462',
    introduced: '3.0.0',
    fixed: '3.13.2',
    lastAffected: '3.13.1',
    severity: 'high',
    summary:
      'TFSMLayer in a .keras config loads an attacker-chosen SavedModel with safe_mode on',
  },
  {
    package: 'keras',
    ruleId: 'DEP-KERAS-SAFE-MODE-BYPASS',
    id: 'CVE-2026-12570',
    fixed: '3.15.0',
    lastAffected: '3.14.0',
    severity: 'medium',
    summary:
      'a crafted .keras weights file declares datasets far larger than itself: load_model allocates them',
  },
];
