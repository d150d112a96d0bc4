/** What the prober needs of a model provider; one implementation per wire protocol. */
export interface ChatRequest {
  model: string;
  systemPrompt?: string;
  prompt: string;
}

export interface ChatResult {
  answer: string;
  /** The model id the provider says answered (`model` in an OpenAI-compatible response). */
  observedModel?: string;
  /** Time of the request that answered, without rate-limit waits and earlier retries. */
  latencyMs: number;
}

export interface ModelApiClient {
  chat(request: ChatRequest): Promise<ChatResult>;
  /** One vector per input, in order. */
  embed(model: string, inputs: string[]): Promise<number[][]>;
}

/** A provider call that failed, with what the provider said (bounded, never the credentials). */
export class ModelApiCallError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'ModelApiCallError';
  }
}
