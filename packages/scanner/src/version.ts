export const TOOL_NAME = 'mlgov';
// Kept in step with package.json by a test (version.test.ts).
export const TOOL_VERSION = '0.1.0';
