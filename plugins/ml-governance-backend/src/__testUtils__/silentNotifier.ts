import type { MlGovernanceNotifier } from '../service/Notifier';

/** A notifier that sends nothing, for tests and benchmarks that do not look at notifications. */
export const silentNotifier: MlGovernanceNotifier = {
  newBlockingFindings: async () => {},
  acceptanceRequested: async () => {},
  acceptanceDecided: async () => {},
  acceptanceExpiringSoon: async () => {},
  acceptanceExpired: async () => {},
  staleImportReport: async () => {},
};
