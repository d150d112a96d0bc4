/**
 * hyparquet is loaded on the first Parquet (or Avro snappy) input, not when the CLI starts. It is
 * an ES module; Node 22.12+ and the bundle both load it with require.
 */
let hyparquetModule: typeof import('hyparquet') | undefined;

export function loadHyparquet(): typeof import('hyparquet') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (hyparquetModule ??= require('hyparquet'));
}
