/**
 * The command-line name of the scanner, as reports name the tool.
 *
 * @public
 */
export const TOOL_NAME = 'mlgov';
// Kept in step with package.json by a test (version.test.ts).
/**
 * The scanner's version, as reports and `mlgov --version` print it.
 *
 * @public
 */
export const TOOL_VERSION = '0.1.0';
