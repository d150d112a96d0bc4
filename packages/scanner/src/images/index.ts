export {
  scanRegistryImage,
  resolveImageDigest,
  pinnedImageUri,
  imageReferenceUri,
  type ImageRegistryConfig,
} from './registrySource';
export type { ImageSignatureOptions } from './cosign';
export type { ImageScanOptions } from './scanImage';
export type { ImageLimits } from './limits';
export { parseRegistryReference, type RegistryReference } from './registry';
