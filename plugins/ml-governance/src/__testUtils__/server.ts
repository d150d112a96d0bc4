import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';

/** One msw server per test file, reset between tests; unhandled requests fail the test. */
export function setupMswServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}
