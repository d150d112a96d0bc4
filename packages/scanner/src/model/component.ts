/**
 * Inventory for the CycloneDX ML-BOM: what a scan found, independent of findings.
 *
 * @public
 */
export interface Component {
  type: 'machine-learning-model' | 'library' | 'file' | 'data';
  name: string;
  version?: string;
  /** Package URL, e.g. `pkg:pypi/torch@2.3.1`, `pkg:huggingface/org/name@rev`. */
  purl?: string;
  /** Path (relative to the scan root) that declared or holds it. */
  path?: string;
  /** SPDX expression or `LicenseRef-...`; `licenseGuessed` when corrected from free text. */
  license?: string;
  licenseGuessed?: boolean;
  hashes?: { alg: 'SHA-256'; content: string }[];
  /** For models: format, base model, datasets, etc. */
  properties?: Record<string, string>;
  modelCard?: {
    baseModel?: string[];
    datasets?: string[];
    task?: string;
    architecture?: string;
  };
  /** Direct vs transitive dependency, and the path that brings it in. */
  scope?: 'direct' | 'transitive';
  dependencyPath?: string[];
}
