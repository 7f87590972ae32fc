// Small helpers every built-in policy uses: verdict constructors, sorting,
// item naming. Pure; no I/O.
import type { EvidenceKind } from '../../evidence/types.ts';
import type { EvidenceItem } from '../../model/types.ts';
import type { PolicyMeta, PolicyVerdict } from '../types.ts';

/** Code-unit order: deterministic whatever the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A memo bounded by the weight of what it holds (findings, say), oldest out
 * first: large repositories must not keep every value they ever derived.
 */
export class WeightedMemo<V> {
  private held = new Map<string, V>();
  private weight = 0;
  private readonly limit: number;
  private readonly weigh: (value: V) => number;
  constructor(limit: number, weigh: (value: V) => number) {
    this.limit = limit;
    this.weigh = weigh;
  }

  get(key: string): V | undefined {
    return this.held.get(key);
  }

  set(key: string, value: V): void {
    const old = this.held.get(key);
    if (old !== undefined) {
      this.held.delete(key);
      this.weight -= this.weigh(old);
    }
    this.held.set(key, value);
    this.weight += this.weigh(value);
    for (const [oldest, v] of this.held) {
      if (this.weight <= this.limit) break;
      this.held.delete(oldest);
      this.weight -= this.weigh(v);
    }
  }
}

/** Sorted, duplicates removed. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText);
}

/** "cyclonedx or spdx", "grype, trivy or osv-scanner". */
export function listKinds(kinds: readonly string[]): string {
  if (kinds.length <= 1) return kinds.join('');
  return `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
}

export function skipped(reason: string): PolicyVerdict {
  return { status: 'SKIPPED', violations: [], reason };
}

/** The verdict when no item of a primary kind was read: "No SLSA provenance to read (evidence kind: slsa-provenance)." */
export function skippedNoPrimary(kinds: readonly EvidenceKind[], what: string, kindsText = listKinds(kinds)): PolicyVerdict {
  return skipped(`No ${what} to read (evidence ${kinds.length === 1 ? 'kind' : 'kinds'}: ${kindsText}).`);
}

/** FAILED when there are violations, else PASSED; violations sorted. */
export function verdict(violations: string[], reason?: string): PolicyVerdict {
  const sorted = sortedUnique(violations);
  const result: PolicyVerdict = { status: sorted.length > 0 ? 'FAILED' : 'PASSED', violations: sorted };
  if (reason !== undefined && reason !== '') result.reason = reason;
  return result;
}

/** The primary items a policy reads: of its kinds and accepted by it, sorted by path. */
export function acceptedItems(meta: Pick<PolicyMeta, 'primary' | 'accepts'>, items: readonly EvidenceItem[]): EvidenceItem[] {
  return items
    .filter((item) => meta.primary.includes(item.kind) && (meta.accepts === undefined || meta.accepts(item)))
    .sort((a, b) => compareText(a.path, b.path));
}

/** A violation for every primary item the reader could not read completely. */
export function brokenViolations(items: readonly EvidenceItem[]): string[] {
  return items.filter((item) => item.broken).map((item) => `${item.path}: the file has errors and was read only in part; fix or regenerate it (see its diagnostics)`);
}

/** "lodash@4.17.21", or the best name a component has. */
export function componentLabel(c: { name?: string; version?: string; purl?: string; bomRef?: string; spdxId?: string }, index?: number): string {
  if (c.name) return c.version ? `${c.name}@${c.version}` : c.name;
  if (c.purl) return c.purl;
  if (c.bomRef) return c.bomRef;
  if (c.spdxId) return c.spdxId;
  return index === undefined ? 'an unnamed component' : `component #${index + 1}`;
}

/** "1 component", "2 components". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Deep equality of JSON-like values (objects compared by keys, not key order). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual(ao[k], bo[k]));
}

/** The compatibility rule of most policies: equal values after defaults. */
export function equalParameters(entry: unknown, requirement: unknown): boolean {
  return deepEqual(entry, requirement);
}

/**
 * Parsed instants: the same timestamps (of items, runs and history points)
 * are read by every evaluation at every point. Cleared when large, so a long
 * `history` does not hold every timestamp it met.
 */
const instants = new Map<string, number | undefined>();

/** Milliseconds of an ISO instant; a date alone is 00:00 UTC, a time without a zone is UTC. */
export function instantMillis(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  let ms = instants.get(text);
  if (ms === undefined && !instants.has(text)) {
    ms = parseInstant(text);
    if (instants.size >= 100_000) instants.clear();
    instants.set(text, ms);
  }
  return ms;
}

function parseInstant(text: string): number | undefined {
  const t = text.trim();
  let normalised = t;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) normalised = `${t}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) normalised = `${t.replace(' ', 'T')}Z`;
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : ms;
}

/** ISO 8601 UTC without milliseconds when they are zero: 2026-02-28T00:00:00Z. */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
