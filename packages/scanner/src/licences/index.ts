export {
  evaluateLicence,
  readLicencePolicy,
  defaultCategoryActions,
} from './policy';
export type {
  LicencePolicy,
  LicenceAction,
  LicenceDecision,
  LicenceTermDecision,
  DistributionContext,
} from './policy';
export {
  normalizeLicence,
  licenceFromMetadata,
  licenceFromClassifiers,
} from './normalize';
export type { NormalizedLicence } from './normalize';
export { categoryOf, LICENCE_CATEGORIES } from './categories';
export type { LicenceCategory } from './categories';
export { HUGGING_FACE_LICENCES, huggingFaceLicence } from './huggingFace';
export { modelLicenceAnalyzer } from './ModelLicenceAnalyzer';
