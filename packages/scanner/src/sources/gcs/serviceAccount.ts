import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { RemoteReadError } from '../../io/RemoteByteSource';
import { HttpClient, type HttpClientOptions } from '../http/httpClient';

/** Read-only access to object data and listings: all a scan needs. */
const GCS_READ_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_only';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
/** A token is renewed this long before Google says it expires. */
const EARLY_RENEWAL_MS = 60_000;

export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  tokenUri: string;
}

/** The fields of a service-account key file (`"type": "service_account"`) a token exchange needs. */
export function parseServiceAccountKey(json: string): ServiceAccountKey {
  let key: Record<string, unknown>;
  try {
    key = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new RemoteReadError('the service-account key is not JSON');
  }
  if (key?.type !== 'service_account')
    throw new RemoteReadError(
      `only service-account keys are supported (this key's type is ${JSON.stringify(
        key?.type,
      )})`,
    );
  const { client_email: clientEmail, private_key: privateKey } = key;
  const tokenUri = key.token_uri ?? DEFAULT_TOKEN_URI;
  if (
    typeof clientEmail !== 'string' ||
    typeof privateKey !== 'string' ||
    typeof tokenUri !== 'string' ||
    !/^https?:\/\//.test(tokenUri)
  )
    throw new RemoteReadError(
      'the service-account key lacks client_email, private_key or an http(s) token_uri',
    );
  return { clientEmail, privateKey, tokenUri };
}

const base64url = (value: Buffer | string) =>
  Buffer.from(value).toString('base64url');

/**
 * Access tokens from a service-account key by the OAuth 2.0 JWT-bearer grant (RFC 7523): a JWT
 * signed RS256 with the key, exchanged at the key's `token_uri` — the only other host this source
 * contacts, and one named by configuration, not by an annotation. Written on node:crypto rather
 * than google-auth-library, which brings gaxios, gtoken and a metadata-server client. One token
 * serves every request of a scan and is renewed a minute before it expires.
 */
export class ServiceAccountTokens {
  private current?: Promise<{ token: string; expiresAt: number }>;

  constructor(
    private readonly loadKey: () => Promise<ServiceAccountKey>,
    private readonly http: Omit<HttpClientOptions, 'allowedHosts'> = {},
    private readonly now: () => number = Date.now,
  ) {}

  static fromJson(
    json: string,
    http?: Omit<HttpClientOptions, 'allowedHosts'>,
  ): ServiceAccountTokens {
    const key = parseServiceAccountKey(json);
    return new ServiceAccountTokens(async () => key, http);
  }

  static fromFile(
    path: string,
    http?: Omit<HttpClientOptions, 'allowedHosts'>,
  ): ServiceAccountTokens {
    return new ServiceAccountTokens(async () => {
      const json = await readFile(path, 'utf8').catch(error => {
        throw new RemoteReadError(
          `cannot read the service-account key file: ${
            (error as Error).message
          }`,
        );
      });
      return parseServiceAccountKey(json);
    }, http);
  }

  async token(): Promise<string> {
    const held = await this.current?.catch(() => undefined);
    if (!held || held.expiresAt - EARLY_RENEWAL_MS <= this.now())
      this.current = this.mint();
    return (await this.current!).token;
  }

  private async mint(): Promise<{ token: string; expiresAt: number }> {
    const key = await this.loadKey();
    const issuedAt = Math.floor(this.now() / 1000);
    const unsigned = `${base64url(
      JSON.stringify({ alg: 'RS256', typ: 'JWT' }),
    )}.${base64url(
      JSON.stringify({
        iss: key.clientEmail,
        scope: GCS_READ_SCOPE,
        aud: key.tokenUri,
        iat: issuedAt,
        exp: issuedAt + 3600,
      }),
    )}`;
    let signature: Buffer;
    try {
      signature = createSign('RSA-SHA256')
        .update(unsigned)
        .sign(key.privateKey);
    } catch (error) {
      throw new RemoteReadError(
        `the service-account private key cannot sign: ${
          (error as Error).message
        }`,
      );
    }
    const client = new HttpClient({
      ...this.http,
      allowedHosts: [new URL(key.tokenUri).host],
    });
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: `${unsigned}.${base64url(signature)}`,
    }).toString();
    const response = await client.send({
      url: key.tokenUri,
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(Buffer.byteLength(body)),
      },
      body,
      maxBodyBytes: 64 * 1024,
    });
    let answer: {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    try {
      answer = JSON.parse(response.body.toString('utf8'));
    } catch {
      answer = {};
    }
    if (response.status !== 200 || typeof answer.access_token !== 'string') {
      const reason =
        typeof answer.error === 'string'
          ? ` (${answer.error.slice(0, 80)})`
          : '';
      throw new RemoteReadError(
        `HTTP ${response.status}${reason}: authentication failed: the token endpoint refused the service-account key of ${key.clientEmail}`,
      );
    }
    const lifetime =
      typeof answer.expires_in === 'number' && answer.expires_in > 0
        ? answer.expires_in
        : 3600;
    return {
      token: answer.access_token,
      expiresAt: this.now() + lifetime * 1000,
    };
  }
}
