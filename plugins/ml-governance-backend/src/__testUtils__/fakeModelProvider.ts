import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny OpenAI-compatible provider on 127.0.0.1 standing in for a model API outside this machine:
 * bearer auth (401 otherwise), chat completions with a `model` field, embeddings, 429 with
 * Retry-After on cue, and documents (system prompts, probe suites) for the UrlReader. Its
 * behaviour is mutable, so a test makes it drift: slower, other answers, fewer refusals, another
 * model id.
 */
export interface FakeBehaviour {
  /** Base delay of every answer, plus up to `jitterMs` of random noise. */
  latencyMs: number;
  jitterMs: number;
  /** Prompt → answer; prompts not listed get `fallbackAnswer`. */
  answers: Map<string, string>;
  fallbackAnswer: string;
  /** Prompts the fake refuses (while `refuses` is true). */
  refusePrompts: Set<string>;
  refuses: boolean;
  refusal: string;
  /** When set, the reported `model`; otherwise the requested one. */
  reportedModel?: string;
  /** Replaces every answer (hostile text). */
  answerOverride?: string;
  /** The next N chat requests get 429 with this Retry-After (seconds). */
  rateLimitNext: number;
  retryAfterSeconds: string;
  /** Appended to answers at random, so similarity has a little noise. */
  noiseWords: string[];
}

export interface FakeRequest {
  path: string;
  at: number;
  authorized: boolean;
  body?: any;
}

export interface FakeModelProvider {
  baseUrl: string;
  host: string;
  token: string;
  behaviour: FakeBehaviour;
  documents: Map<string, string>;
  requests: FakeRequest[];
  docUrl(name: string): string;
  close(): Promise<void>;
}

/** A deterministic 64-dimensional bag-of-words embedding: same words, same vector. */
export function fakeEmbedding(text: string): number[] {
  const vector = new Array(64).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const hash = createHash('sha256').update(word).digest();
    vector[hash[0] % 64] += 1;
  }
  return vector;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function startFakeModelProvider(
  token = 'test-token',
): Promise<FakeModelProvider> {
  const behaviour: FakeBehaviour = {
    latencyMs: 5,
    jitterMs: 5,
    answers: new Map(),
    fallbackAnswer: 'I do not know.',
    refusePrompts: new Set(),
    refuses: true,
    refusal: "I'm sorry, but I can't help with that request.",
    rateLimitNext: 0,
    retryAfterSeconds: '1',
    noiseWords: [],
  };
  const documents = new Map<string, string>();
  const requests: FakeRequest[] = [];

  async function chat(body: any, res: ServerResponse) {
    if (behaviour.rateLimitNext > 0) {
      behaviour.rateLimitNext -= 1;
      json(
        res,
        429,
        { error: { message: 'slow down' } },
        { 'retry-after': behaviour.retryAfterSeconds },
      );
      return;
    }
    const messages: { role: string; content: string }[] = body.messages ?? [];
    const prompt = messages.filter(m => m.role === 'user').pop()?.content ?? '';
    await sleep(behaviour.latencyMs + Math.random() * behaviour.jitterMs);
    let answer: string;
    if (behaviour.answerOverride !== undefined)
      answer = behaviour.answerOverride;
    else if (behaviour.refuses && behaviour.refusePrompts.has(prompt))
      answer = behaviour.refusal;
    else answer = behaviour.answers.get(prompt) ?? behaviour.fallbackAnswer;
    if (behaviour.noiseWords.length > 0 && Math.random() < 0.5)
      answer += ` ${
        behaviour.noiseWords[
          Math.floor(Math.random() * behaviour.noiseWords.length)
        ]
      }`;
    json(res, 200, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      model: behaviour.reportedModel ?? body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer },
          finish_reason: 'stop',
        },
      ],
    });
  }

  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const authorized = req.headers.authorization === `Bearer ${token}`;
    if (req.method === 'GET' && path.startsWith('/docs/')) {
      requests.push({ path, at: performance.now(), authorized });
      const text = documents.get(path.slice('/docs/'.length));
      if (text === undefined) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
      return;
    }
    const raw = await readBody(req);
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      json(res, 400, { error: { message: 'not JSON' } });
      return;
    }
    requests.push({ path, at: performance.now(), authorized, body });
    if (!authorized) {
      json(res, 401, {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
        },
      });
      return;
    }
    if (req.method === 'POST' && path === '/v1/chat/completions')
      await chat(body, res);
    else if (req.method === 'POST' && path === '/v1/embeddings') {
      const inputs: string[] = Array.isArray(body.input)
        ? body.input
        : [body.input];
      json(res, 200, {
        object: 'list',
        model: body.model,
        data: inputs.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: fakeEmbedding(text),
        })),
      });
    } else json(res, 404, { error: { message: `no route ${path}` } });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    baseUrl: `http://${host}`,
    host,
    token,
    behaviour,
    documents,
    requests,
    docUrl: name => `http://${host}/docs/${name}`,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
