import type { ModelApiClient } from './ModelApiClient';
import { lexicalSimilarity, vectorCosine } from './textMeasures';

/** How close an answer is to its reference answer, 0..1. */
export interface SimilarityMeasure {
  readonly name: string;
  similarity(answer: string, reference: string): Promise<number>;
}

/** Word-count cosine: offline, deterministic, the default. */
export const lexicalSimilarityMeasure: SimilarityMeasure = {
  name: 'lexical',
  similarity: async (answer, reference) => lexicalSimilarity(answer, reference),
};

/** Cosine of the provider's embeddings of both texts (`mlGovernance.modelApis.similarity`). */
export class EmbeddingSimilarityMeasure implements SimilarityMeasure {
  readonly name: string;

  constructor(
    private readonly client: ModelApiClient,
    private readonly model: string,
  ) {
    this.name = `embedding:${model}`;
  }

  async similarity(answer: string, reference: string): Promise<number> {
    const [a, b] = await this.client.embed(this.model, [answer, reference]);
    return vectorCosine(a, b);
  }
}
