import { TOOL_NAME, TOOL_VERSION } from '../version';
import { EXIT_CODES, UsageError } from './exitCodes';
import { processIo, type CliIo } from './io';
import { MAIN_HELP } from './help';
import type { ScanCommandDeps } from './scanCommand';

// Commands load when they run: `--version` and `--help` must not build the scanner (every reader,
// analyzer and rule). Synchronous require keeps jest and the repo's TypeScript runner working.
const scanCommand: typeof import('./scanCommand').scanCommand = (...args) =>
  require('./scanCommand').scanCommand(...args);
const gateCommand: typeof import('./gateCommand').gateCommand = (...args) =>
  require('./gateCommand').gateCommand(...args);
const rulesCommand: typeof import('./rulesCommand').rulesCommand = (...args) =>
  require('./rulesCommand').rulesCommand(...args);

/**
 * The `mlgov` command line. Returns the exit code instead of exiting, so tests run it in-process;
 * `bin/mlgov` sets `process.exitCode` from it.
 *
 * @public
 */
export async function main(
  argv: string[],
  io: CliIo = processIo(),
  deps: ScanCommandDeps = {},
): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'scan':
        return await scanCommand(args, io, deps);
      case 'gate':
        return await gateCommand(args, io);
      case 'rules':
        return await rulesCommand(args, io);
      case '--version':
      case '-v':
        io.stdout.write(`${TOOL_NAME} ${TOOL_VERSION}\n`);
        return EXIT_CODES.PASS;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(MAIN_HELP);
        return command === undefined ? EXIT_CODES.USAGE : EXIT_CODES.PASS;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // parseArgs reports unknown or malformed options with these codes.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(
        `mlgov: ${(error as Error).message}\nRun "mlgov ${
          command && !command.startsWith('-') ? `${command} ` : ''
        }--help" for usage.\n`,
      );
      return EXIT_CODES.USAGE;
    }
    io.stderr.write(
      `mlgov: internal error: ${(error as Error).stack ?? String(error)}\n`,
    );
    return EXIT_CODES.INTERNAL;
  }
}
