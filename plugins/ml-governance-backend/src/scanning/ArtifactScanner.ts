import {
  createRemoteSource,
  createScanner,
  isRemoteUri,
  newTransferContext,
  scanRegistryImage,
  scanRemoteSource,
  type FormatReader,
  type ImageRegistryConfig,
  type ProjectAnalyzer,
  type RemoteSourcesConfig,
  type ScanLimits,
  type ScanOptions,
  type ScanResult,
} from '@ml-governance/scanner';

/** The scanner as the plugin uses it: one call per resolved target (a local path or a pinned remote URI). */
export interface ArtifactScanner {
  scanPath(
    path: string,
    options?: Pick<ScanOptions, 'ignore' | 'limits' | 'readerOptions'>,
  ): Promise<ScanResult>;
}

/** Runs `@ml-governance/scanner` with its built-in readers plus those added through the extension point. */
export class DefaultArtifactScanner implements ArtifactScanner {
  constructor(
    private readonly options: {
      limits?: Partial<ScanLimits>;
      readers?: FormatReader[];
      analyzers?: ProjectAnalyzer[];
      /** Remote sources (mlGovernance.sources) for pinned `hf://`, `s3://`, `mlflow://` URIs from RemoteTargetResolver. */
      remoteSources?: RemoteSourcesConfig;
      /** Registries (mlGovernance.sources.registries) for pinned `oci://` URIs from ImageTargetResolver. */
      imageRegistries?: readonly ImageRegistryConfig[];
    } = {},
  ) {}

  scanPath(
    path: string,
    options: Pick<ScanOptions, 'ignore' | 'limits' | 'readerOptions'> = {},
  ): Promise<ScanResult> {
    const scanner = createScanner({
      readers: this.options.readers,
      analyzers: this.options.analyzers,
      readerOptions: options.readerOptions,
      // Per-policy limits may only tighten or relax within what the policy says; config limits are the base.
      limits: { ...this.options.limits, ...options.limits },
    });
    if (path.startsWith('oci://'))
      return scanRegistryImage(
        path,
        scanner,
        this.options.imageRegistries ?? [],
        {
          ignore: options.ignore,
          // The policy's image_platforms: which platforms of a multi-platform image matter.
          platforms: options.readerOptions?.imagePlatforms as
            | string[]
            | undefined,
        },
      );
    const remote = this.options.remoteSources;
    if (remote && isRemoteUri(path, remote)) {
      const transfer = newTransferContext(remote);
      return scanRemoteSource(
        scanner,
        createRemoteSource(path, remote, transfer),
        transfer,
      );
    }
    return scanner.scanPath(path, { ignore: options.ignore });
  }
}
