import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { ANNOTATION_ARTIFACTS } from '@ml-governance/plugin-ml-governance-common';

/** Shown on an ML entity that tells the scanner nothing to scan. */
export function MissingSetupState() {
  return <MissingAnnotationEmptyState annotation={ANNOTATION_ARTIFACTS} />;
}
