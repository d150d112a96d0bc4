import type { Location } from '../model/evidence';

/**
 * A location as people read it: `models/m.pt › archive/data.pkl @1234` for an archive member and
 * byte offset, `requirements.txt:12:5` for a line in a text file.
 *
 * @public
 */
export function formatLocation(location: Location): string {
  let text = [location.path, ...(location.entry ?? [])].join(' › ');
  if (location.line !== undefined)
    text += `:${location.line}${
      location.column !== undefined ? `:${location.column}` : ''
    }`;
  else if (location.offset !== undefined) text += ` @${location.offset}`;
  return text;
}
