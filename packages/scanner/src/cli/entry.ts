import { TOOL_NAME, TOOL_VERSION } from '../version';

/**
 * What the published `bin/mlgov` runs (bundled into dist/mlgov.cjs.js by scripts/bundle-cli.js).
 * `mlgov --version` answers without loading anything else; every other command loads `main` (and with
 * `scan`, every reader, analyzer and reporter) when it runs. The bundler keeps `import()` lazy, so the
 * code behind it is parsed but not evaluated until then.
 */
export async function run(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${TOOL_NAME} ${TOOL_VERSION}\n`);
    return 0;
  }
  const { main } = await import('./main');
  return main(argv);
}
