export { signatureAnalyzer } from './signatureAnalyzer';
export type { SignatureOptions, AllowedSigner } from './options';
export { decodeBundle, parseStatement } from './bundle';
export { verifyBundle, keyFingerprint } from './verify';
