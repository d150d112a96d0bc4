export {
  scanRegistryImage,
  resolveImageDigest,
  pinnedImageUri,
  imageReferenceUri,
  type ImageRegistryConfig,
} from './registrySource';
export type { ImageSignatureOptions } from './cosign';
export { parseRegistryReference, type RegistryReference } from './registry';
