// Finds passwords and tokens written out in deployment files (compose, rendered Kubernetes objects), as opposed to
// references to them: a ${VAR} interpolation, or the name of a Secret and a key in it.

/** keys whose string value names a secret rather than holding one */
const referenceKeys = new Set(['existingSecret', 'key', 'secretName']);

/** Paths (a.b[0].c) of values that look like a password or token written out. */
export function plaintextSecrets(value: unknown, path = ''): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => plaintextSecrets(item, `${path}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const here = path ? `${path}.${key}` : key;
      if (typeof item === 'string' && /password|secret|token|key$/i.test(key) && item !== '') {
        const isReference = /^\$\{[A-Z_]+(:[-?][^}]*)?\}$/.test(item) || referenceKeys.has(key);
        return isReference ? [] : [here];
      }
      if (typeof item === 'string' && /:\/\/[^/\s:]+:[^@\s$]+@/.test(item)) return [here]; // user:password@ in a URL
      return plaintextSecrets(item, here);
    });
  }
  return [];
}
