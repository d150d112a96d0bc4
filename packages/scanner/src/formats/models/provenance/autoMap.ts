import { isPlainObject } from '../common/boundedJson';

/**
 * One `auto_map` entry of a Hugging Face config: `"AutoModel": "modeling_x.MyModel"` runs
 * `modeling_x.py` from this repository; `"org/repo--modeling_x.MyModel"` fetches it from another.
 */
export interface RemoteCodeReference {
  autoClass: string;
  reference: string;
  /** Python module file the loader imports, e.g. `modeling_x.py`. */
  moduleFile: string;
  /** Repository the code comes from when not this one. */
  repository?: string;
}

export function autoMapReferences(config: unknown): RemoteCodeReference[] {
  if (!isPlainObject(config) || !isPlainObject(config.auto_map)) return [];
  const out: RemoteCodeReference[] = [];
  for (const [autoClass, value] of Object.entries(config.auto_map)) {
    // Tokenizers map to [slow, fast] pairs, either of which may be null.
    const references = (Array.isArray(value) ? value : [value]).filter(
      (v): v is string => typeof v === 'string',
    );
    for (const reference of references.slice(0, 4)) {
      const split = reference.indexOf('--');
      const repository = split > 0 ? reference.slice(0, split) : undefined;
      const dotted = split > 0 ? reference.slice(split + 2) : reference;
      const modulePath = dotted.includes('.')
        ? dotted.slice(0, dotted.lastIndexOf('.'))
        : dotted;
      out.push({
        autoClass,
        reference: reference.slice(0, 300),
        moduleFile: `${modulePath.replace(/\./g, '/')}.py`,
        repository,
      });
      if (out.length >= 50) return out;
    }
  }
  return out;
}
