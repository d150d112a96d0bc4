import {
  createScanner,
  type FormatReader,
  type ProjectAnalyzer,
  type ScanLimits,
  type ScanOptions,
  type ScanResult,
} from '@ml-governance/scanner';

/** The scanner as the plugin uses it: one call per local target. */
export interface ArtifactScanner {
  scanPath(path: string, options?: Pick<ScanOptions, 'ignore' | 'limits' | 'readerOptions'>): Promise<ScanResult>;
}

/** Runs `@ml-governance/scanner` with its built-in readers plus those added through the extension point. */
export class DefaultArtifactScanner implements ArtifactScanner {
  constructor(
    private readonly options: {
      limits?: Partial<ScanLimits>;
      readers?: FormatReader[];
      analyzers?: ProjectAnalyzer[];
    } = {},
  ) {}

  scanPath(path: string, options: Pick<ScanOptions, 'ignore' | 'limits' | 'readerOptions'> = {}): Promise<ScanResult> {
    const scanner = createScanner({
      readers: this.options.readers,
      analyzers: this.options.analyzers,
      readerOptions: options.readerOptions,
      // Per-policy limits may only tighten or relax within what the policy says; config limits are the base.
      limits: { ...this.options.limits, ...options.limits },
    });
    return scanner.scanPath(path, { ignore: options.ignore });
  }
}
