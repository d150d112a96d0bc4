export * from './model/severity';
export type { Location, Evidence, Signal } from './model/evidence';
export type { Rule, RuleCategory } from './model/rule';
export type { Finding, FileRecord, ScanResult } from './model/finding';
export type { Component } from './model/component';
export { DEFAULT_LIMITS, type ScanLimits } from './model/limits';
export type { ByteRange, ByteSource } from './io/ByteSource';
export {
  BufferSource,
  FileSource,
  SliceSource,
  ReadCounter,
} from './io/ByteSource';
export {
  RemoteByteSource,
  RemoteReadError,
  TransferMeter,
  ConcurrencyLimiter,
  type RangeFetcher,
  type RemoteByteSourceOptions,
} from './io/RemoteByteSource';
export type { PathRequest } from './io/ScanTree';
export type {
  AllowedSigner,
  SignatureOptions,
  SignatureThresholds,
} from './signatures/options';
export * from './sources';
export * from './images';
export type {
  FormatReader,
  ReaderContext,
  ReaderInput,
  ReaderOptions,
  ChildInput,
} from './engine/FormatReader';
export type { ProjectAnalyzer, ProjectContext } from './engine/ProjectAnalyzer';
export {
  Scanner,
  type ScanOptions,
  type ScanEntry,
  type ScanEntriesOptions,
} from './engine/Scanner';
export { DEFAULT_READERS, DEFAULT_ANALYZERS } from './engine/defaults';
export { RULES, findRule, getRule } from './rules/catalogue';
export { fingerprintOf } from './engine/fingerprint';
export { createScanner } from './createScanner';
export { TOOL_NAME, TOOL_VERSION } from './version';
export * from './policy';
export * from './report';
export { main } from './cli/main';
export { EXIT_CODES } from './cli/exitCodes';
export type { CliIo, OutputStream } from './cli/io';
export type { ScanCommandDeps } from './cli/scanCommand';
