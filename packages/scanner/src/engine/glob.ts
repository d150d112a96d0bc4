/**
 * Minimal glob → RegExp for path ignores: `**` crosses folders, `*` and `?` do not.
 * Patterns without a `/` match the file name at any depth (like .gitignore).
 */
export function globToRegExp(pattern: string): RegExp {
  const anchored = pattern.includes('/');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
        if (pattern[i + 1] === '/') i++;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  const prefix = anchored ? '^' : '(^|/)';
  return new RegExp(`${prefix}${source.replace(/^\//, '')}$`);
}

export function matchesAny(path: string, patterns: readonly string[]): boolean {
  return patterns.some(pattern => globToRegExp(pattern).test(path));
}
