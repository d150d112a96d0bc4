import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** The current time; injected so tests can move it (acceptance expiry, reports, trends). */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * The clock as a service, so tests (and simulations) can replace it through the backend.
 *
 * @public
 */
export interface MlGovernanceClockService {
  now(): Date;
}

/**
 * The clock the ML Governance backend reads; tests replace it to move time.
 *
 * @public
 */
export const mlGovernanceClockServiceRef =
  createServiceRef<MlGovernanceClockService>({
    id: 'ml-governance.clock',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => ({ now: systemClock }),
      }),
  });
