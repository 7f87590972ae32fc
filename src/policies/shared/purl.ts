// Package URLs (purl), just enough to compare packages across scanners and
// VEX statements: qualifiers (`?arch=…`) and subpath (`#…`) are ignored, the
// type is case-insensitive, and a purl without a version names every version.

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Findings are compared pairwise across scanners and history points, so the
 * same purl strings are parsed over and over: memoised (bounded). Callers
 * treat the result as read-only.
 */
const parsed = new Map<string, Purl | undefined>();
const parsedLimit = 20_000;

export function parsePurl(text: string | undefined): Purl | undefined {
  if (typeof text !== 'string') return undefined;
  if (parsed.has(text)) return parsed.get(text);
  const purl = parseUncached(text);
  if (parsed.size >= parsedLimit) parsed.delete(parsed.keys().next().value!);
  parsed.set(text, purl);
  return purl;
}

function parseUncached(text: string): Purl | undefined {
  let rest = text.trim();
  if (!/^pkg:/i.test(rest)) return undefined;
  rest = rest.slice(4).replace(/^\/+/, '');
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question >= 0) rest = rest.slice(0, question);
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/') && at > 0 && rest[at - 1] !== '/') {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts.length < 2) return undefined;
  const type = parts[0].toLowerCase();
  const name = decode(parts[parts.length - 1]);
  const namespace = parts.length > 2 ? parts.slice(1, -1).map(decode).join('/') : undefined;
  const purl: Purl = { type, name };
  if (namespace !== undefined) purl.namespace = namespace;
  if (version !== undefined && version !== '') purl.version = version;
  return purl;
}

/** `pkg:type/namespace/name`, lower-cased, without version, qualifiers or subpath. */
const packageKeys = new WeakMap<Purl, string>();
export function purlPackageKey(p: Purl): string {
  let key = packageKeys.get(p);
  if (key === undefined) {
    key = `pkg:${p.type}/${p.namespace ? `${p.namespace}/` : ''}${p.name}`.toLowerCase();
    packageKeys.set(p, key);
  }
  return key;
}

/** The names a package may go by in scanners that print no purl: `name`, `namespace/name`, `namespace:name`. */
export function purlNames(p: Purl): string[] {
  const names = [p.name];
  if (p.namespace) names.push(`${p.namespace}/${p.name}`, `${p.namespace}:${p.name}`);
  return names.map((n) => n.toLowerCase());
}

/** Same package (and same version where both name one). */
export function purlsMatch(a: Purl, b: Purl): boolean {
  if (purlPackageKey(a) !== purlPackageKey(b)) return false;
  return a.version === undefined || b.version === undefined || a.version === b.version;
}
