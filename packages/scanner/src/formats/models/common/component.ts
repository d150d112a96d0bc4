import type { Component } from '../../../model/component';
import type { ReaderInput } from '../../../engine/FormatReader';

/** The ML-BOM entry for one model file (or archive member), named by where it sits. */
export function modelComponent(
  input: Pick<ReaderInput, 'location' | 'name'>,
  format: string,
  properties: Record<string, string> = {},
): Component {
  const entry = input.location.entry ?? [];
  return {
    type: 'machine-learning-model',
    name: [input.location.path, ...entry].join('!/'),
    path: input.location.path,
    properties: { format, ...properties },
  };
}
