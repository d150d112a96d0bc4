import { ConfigReader } from '@backstage/config';
import { readMlGovernanceConfig } from './config';

describe('readMlGovernanceConfig: leases and claim batches', () => {
  const read = (mlGovernance: object) =>
    readMlGovernanceConfig(new ConfigReader({ mlGovernance }));

  it('defaults to 30-second leases, batches of 5 × concurrency and a 5-minute round timeout', () => {
    const config = read({ concurrency: 3 });
    expect(config.leaseMs).toBe(30_000);
    expect(config.claimBatchSize).toBe(15);
    expect(config.schedule.timeout).toEqual({ minutes: 5 });
  });

  it('reads scanning.leaseSeconds and scanning.claimBatchSize', () => {
    const config = read({ scanning: { leaseSeconds: 5, claimBatchSize: 40 } });
    expect(config.leaseMs).toBe(5_000);
    expect(config.claimBatchSize).toBe(40);
  });

  it.each([0, -1, 3601, Number.NaN])(
    'refuses leaseSeconds %p',
    leaseSeconds => {
      expect(() => read({ scanning: { leaseSeconds } })).toThrow(
        /leaseSeconds must be between 1 and 3600/,
      );
    },
  );

  it.each([0, 1.5, 501])('refuses claimBatchSize %p', claimBatchSize => {
    expect(() => read({ scanning: { claimBatchSize } })).toThrow(
      /claimBatchSize must be an integer from 1 to 500/,
    );
  });
});

describe('readMlGovernanceConfig: counters', () => {
  const read = (mlGovernance: object) =>
    readMlGovernanceConfig(new ConfigReader({ mlGovernance }));

  it('rebuilds counters at start-up only when asked', () => {
    expect(read({}).recountCountersOnStartup).toBe(false);
    expect(
      read({ counters: { recountOnStartup: true } }).recountCountersOnStartup,
    ).toBe(true);
    expect(() =>
      read({ counters: { recountOnStartup: 'sometimes' } }),
    ).toThrow();
  });
});
