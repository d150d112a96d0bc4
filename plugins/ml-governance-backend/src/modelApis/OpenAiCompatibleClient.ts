import {
  ModelApiCallError,
  type ChatRequest,
  type ChatResult,
  type ModelApiClient,
} from './ModelApiClient';
import type { ModelApiProviderConfig } from './modelApisConfig';
import type { TokenBucket } from './TokenBucket';

/** Longest Retry-After honoured; a provider asking for more fails the probe instead of stalling the run. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Wait before a retry when the provider gave no Retry-After. */
const DEFAULT_RETRY_MS = 1000;
const MAX_ERROR_TEXT = 300;

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(
  header: string | null,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d{1,7}(\.\d+)?$/.test(trimmed))
    return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads a response body up to `maxBytes`; a larger body is an error, not a truncated answer. */
async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ModelApiCallError(
      `response of ${declared} bytes exceeds the ${maxBytes}-byte cap`,
    );
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ModelApiCallError(`response exceeds the ${maxBytes}-byte cap`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(
    Buffer.concat(chunks),
  );
}

function messageContent(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  // Some compatible servers return content parts.
  if (Array.isArray(content))
    return content
      .map(part =>
        part && typeof part === 'object' && typeof part.text === 'string'
          ? part.text
          : '',
      )
      .join('');
  return undefined;
}

/**
 * OpenAI-compatible chat completions and embeddings (`POST {baseUrl}/v1/chat/completions`,
 * `/v1/embeddings`) with bearer auth. Only the configured base URL is ever called; every attempt
 * takes a token from the provider's bucket; 429 and 5xx are retried after Retry-After.
 */
export class OpenAiCompatibleClient implements ModelApiClient {
  constructor(
    private readonly provider: ModelApiProviderConfig,
    private readonly bucket: TokenBucket,
    private readonly sleep: (ms: number) => Promise<void> = ms =>
      new Promise(resolve => setTimeout(resolve, ms)),
  ) {}

  async chat(request: ChatRequest): Promise<ChatResult> {
    const messages = [
      ...(request.systemPrompt !== undefined
        ? [{ role: 'system', content: request.systemPrompt }]
        : []),
      { role: 'user', content: request.prompt },
    ];
    const { body, latencyMs } = await this.post('/v1/chat/completions', {
      model: request.model,
      messages,
      temperature: 0,
    });
    const choice = Array.isArray(body?.choices) ? body.choices[0] : undefined;
    const answer = messageContent(choice?.message?.content);
    if (answer === undefined)
      throw new ModelApiCallError('response has no choices[0].message.content');
    return {
      answer,
      observedModel:
        typeof body.model === 'string' ? body.model.slice(0, 200) : undefined,
      latencyMs,
    };
  }

  async embed(model: string, inputs: string[]): Promise<number[][]> {
    const { body } = await this.post('/v1/embeddings', {
      model,
      input: inputs,
    });
    const data = Array.isArray(body?.data) ? body.data : [];
    const vectors = inputs.map((_, index) => {
      const item = data.find((d: any) => d?.index === index) ?? data[index];
      const vector = item?.embedding;
      if (!Array.isArray(vector) || !vector.every(Number.isFinite))
        throw new ModelApiCallError(
          `embedding ${index} is missing or not numeric`,
        );
      return vector as number[];
    });
    return vectors;
  }

  private async post(
    path: string,
    payload: unknown,
  ): Promise<{ body: any; latencyMs: number }> {
    const { baseUrl, apiKey, timeoutMs, maxResponseBytes, maxRetries } =
      this.provider;
    for (let attempt = 0; ; attempt++) {
      await this.bucket.take();
      const started = performance.now();
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          },
          body: JSON.stringify(payload),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const name = (error as Error).name;
        throw new ModelApiCallError(
          name === 'TimeoutError' || name === 'AbortError'
            ? `no answer within ${timeoutMs} ms`
            : `request failed: ${String((error as Error).message).slice(
                0,
                MAX_ERROR_TEXT,
              )}`,
        );
      }
      const retriable = response.status === 429 || response.status >= 500;
      if (retriable && attempt < maxRetries) {
        const wait =
          retryAfterMs(response.headers.get('retry-after')) ?? DEFAULT_RETRY_MS;
        await response.body?.cancel();
        if (wait > MAX_RETRY_AFTER_MS)
          throw new ModelApiCallError(
            `HTTP ${response.status}: Retry-After ${wait} ms is too long`,
            response.status,
          );
        await this.sleep(wait);
        continue;
      }
      const text = await readCapped(response, maxResponseBytes);
      const latencyMs = performance.now() - started;
      if (!response.ok)
        throw new ModelApiCallError(
          `HTTP ${response.status}: ${text.slice(0, MAX_ERROR_TEXT)}`,
          response.status,
        );
      try {
        return { body: JSON.parse(text), latencyMs };
      } catch {
        throw new ModelApiCallError('response is not JSON');
      }
    }
  }
}
