/**
 * A `fetch` for registry pulls in the portal, built on the remote sources' HttpClient: every request
 * and every redirect hop passes the host policy (configured hosts only; a host reached by pattern or
 * redirect must not resolve to a private address, checked inside the DNS lookup), with timeouts and
 * bounded bodies. Redirects are followed here, and credentials are dropped when a hop leaves the
 * registry's host (blob downloads redirect to object storage, which must never see the token).
 */
import { HttpClient, type HttpClientOptions } from '../sources/http/httpClient';
import { ImageReadError } from './limits';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

function headerRecord(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

export function hostPolicyFetch(
  options: HttpClientOptions & { maxBodyBytes: number },
): typeof fetch {
  // An option given as undefined must not override the client's default (a timeout of undefined ms).
  const client = new HttpClient(
    Object.fromEntries(
      Object.entries(options).filter(([, value]) => value !== undefined),
    ) as HttpClientOptions,
  );
  const policyFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    const origin = url.host;
    const headers = headerRecord(init);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await client.send({
        url: url.href,
        method: init?.method ?? 'GET',
        headers,
        // One byte past the limit tells a body at the limit from a larger one.
        maxBodyBytes: options.maxBodyBytes + 1,
      });
      const location = response.headers.location;
      if (REDIRECTS.has(response.status) && typeof location === 'string') {
        url = new URL(location, url);
        if (url.host !== origin) delete headers.authorization;
        continue;
      }
      if (response.truncated)
        throw new ImageReadError(
          `${url.host}${url.pathname} answered more than ${options.maxBodyBytes} bytes`,
        );
      const responseHeaders = new Headers();
      for (const [key, value] of Object.entries(response.headers))
        if (value !== undefined)
          responseHeaders.set(
            key,
            Array.isArray(value) ? value.join(', ') : value,
          );
      const empty =
        response.status === 204 ||
        response.status === 304 ||
        init?.method === 'HEAD';
      return new Response(empty ? null : response.body, {
        status: response.status,
        headers: responseHeaders,
      });
    }
    throw new ImageReadError(
      `more than ${MAX_REDIRECTS} redirects from ${origin}`,
    );
  };
  return policyFetch as typeof fetch;
}
