/**
 * Why a path stored in a model (ONNX external data, TensorFlow asset) would be opened outside the
 * model folder, or undefined if it stays inside. Symlinks cannot be seen from the bytes.
 */
export function externalLocationEscape(location: string): string | undefined {
  if (location.length === 0) return undefined;
  if (location.includes('\u0000')) return 'contains a NUL byte';
  if (
    /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(location) ||
    /^file:/i.test(location)
  )
    return 'is a URL';
  if (location.startsWith('/') || location.startsWith('\\'))
    return 'is an absolute path';
  if (/^[a-zA-Z]:/.test(location)) return 'is an absolute Windows path';
  if (location.startsWith('~')) return 'starts in a home directory';
  if (location.split(/[\\/]+/).some(segment => segment === '..'))
    return 'climbs out of the folder with ".."';
  return undefined;
}
