export { signatureAnalyzer } from './signatureAnalyzer';
export type { SignatureOptions, AllowedSigner } from './options';
export { parseBundle, parseStatement, dssePae } from './bundle';
export { verifyBundle, keyFingerprint } from './verify';
