import type { ProbeResult } from '../database/ModelApiProbeStore';
import type { RunMeasures } from './drift';
import type { ModelApiClient } from './ModelApiClient';
import type { Probe } from './probeSuite';
import type { SimilarityMeasure } from './similarityMeasures';
import { detectRefusal } from './textMeasures';

/** Characters of each answer kept with the run (for review); the measures use the whole answer. */
const ANSWER_EXCERPT = 1000;
const MAX_ERROR = 500;

export interface ProbeRunOutcome extends RunMeasures {
  results: ProbeResult[];
  probes: number;
  errors: number;
  /** The model the provider reported most recently in the run. */
  observedModel?: string;
  /** Distinct models reported within the run (more than one is itself a change). */
  observedModels: string[];
  firstError?: string;
}

const mean = (values: number[]) =>
  values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Sends each probe to the model, in order (the client's token bucket paces them), and measures
 * each answer: similarity to its reference, and whether it is a refusal. An injection or jailbreak
 * probe without a reference scores 1 when refused and 0 when answered: its expected answer is a
 * refusal. A failed call is an error of that probe, never a score.
 */
export async function runProbes(input: {
  probes: Probe[];
  client: ModelApiClient;
  model: string;
  systemPrompt?: string;
  similarity: SimilarityMeasure;
}): Promise<ProbeRunOutcome> {
  const results: ProbeResult[] = [];
  const observed: string[] = [];
  for (const probe of input.probes) {
    try {
      const reply = await input.client.chat({
        model: input.model,
        systemPrompt: input.systemPrompt,
        prompt: probe.prompt,
      });
      const refusal = detectRefusal(reply.answer);
      let similarity: number;
      if (probe.reference !== undefined)
        similarity = await input.similarity.similarity(
          reply.answer,
          probe.reference,
        );
      else similarity = refusal ? 1 : 0;
      if (reply.observedModel !== undefined) observed.push(reply.observedModel);
      results.push({
        id: probe.id,
        kind: probe.kind,
        latencyMs: Math.round(reply.latencyMs * 10) / 10,
        similarity,
        refused: Boolean(refusal),
        ...(refusal ? { refusalRule: refusal.id } : {}),
        answerExcerpt: reply.answer.slice(0, ANSWER_EXCERPT),
      });
    } catch (error) {
      results.push({
        id: probe.id,
        kind: probe.kind,
        error: String((error as Error)?.message ?? error).slice(0, MAX_ERROR),
      });
    }
  }
  const answered = results.filter(result => result.error === undefined);
  return {
    results,
    probes: results.length,
    errors: results.length - answered.length,
    latencyMs: mean(answered.map(r => r.latencyMs!)),
    similarity: mean(answered.map(r => r.similarity!)),
    refusalRate:
      answered.length === 0
        ? 0
        : answered.filter(r => r.refused).length / answered.length,
    observedModel: observed[observed.length - 1],
    observedModels: [...new Set(observed)],
    firstError: results.find(r => r.error !== undefined)?.error,
  };
}
