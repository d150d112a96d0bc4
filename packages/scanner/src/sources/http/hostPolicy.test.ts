import { listen } from '../../test-support/remote';
import { checkUrl, isPrivateAddress } from './hostPolicy';
import { HttpClient, parseRetryAfter } from './httpClient';

describe('host policy', () => {
  it('classifies private, loopback, link-local and metadata addresses', () => {
    for (const address of [
      '10.1.2.3',
      '127.0.0.1',
      '169.254.169.254',
      '172.16.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
      '[::1]',
    ]) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    for (const address of [
      '8.8.8.8',
      '172.32.0.1',
      '2606:4700::1111',
      '::ffff:1.1.1.1',
    ]) {
      expect([address, isPrivateAddress(address)]).toEqual([address, false]);
    }
  });

  it('allows exactly the configured hosts, and private addresses only when named exactly', () => {
    const policy = {
      allowedHosts: ['hub.internal:8080', '*.hf.co', '*.0.0.1'],
    };
    expect(checkUrl(policy, new URL('http://hub.internal:8080/api'))).toEqual({
      allowPrivate: true,
    });
    expect(checkUrl(policy, new URL('https://cdn-lfs.hf.co/x'))).toEqual({
      allowPrivate: false,
    });
    expect(() =>
      checkUrl(policy, new URL('http://hub.internal:9090/')),
    ).toThrow(/not a configured host/);
    expect(() =>
      checkUrl(policy, new URL('http://169.254.169.254/latest/meta-data/')),
    ).toThrow(/not a configured host/);
    expect(() => checkUrl(policy, new URL('http://127.0.0.1/'))).toThrow(
      /private/,
    );
    expect(() =>
      checkUrl(policy, new URL('http://user:pw@hub.internal:8080/')),
    ).toThrow(/credentials/);
    expect(() => checkUrl(policy, new URL('file:///etc/passwd'))).toThrow(
      /not fetched/,
    );
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  it('times out a server that never answers, then reports the failure after its retries', async () => {
    const silent = await listen(() => undefined);
    try {
      const client = new HttpClient({
        allowedHosts: [`127.0.0.1:${silent.port}`],
        timeoutMs: 200,
        retries: 1,
        retryBaseMs: 1,
      });
      await expect(client.send({ url: `${silent.origin}/x` })).rejects.toThrow(
        /failed after 2 attempts: timed out/,
      );
    } finally {
      await silent.close();
    }
  });
});
