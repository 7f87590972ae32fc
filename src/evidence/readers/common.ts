// What every reader shares: the reader contract, small accessors for untrusted
// JSON (and the JSON form of XML), timestamps, severities and CVSS scores.
import type { EvidenceData, EvidenceKind, ReaderProblem, VulnSeverity } from '../types.ts';

export type Syntax = 'json' | 'xml';

export interface ReaderContext {
  /** The path as given to readEvidence. */
  path: string;
  /** The base name, lower-case. */
  fileName: string;
  syntax: Syntax;
  /** JSON Lines: the document is the array of the lines' values. */
  jsonLines: boolean;
  /** XML only: the root element. */
  xmlRoot?: { name: string; localName: string; namespace?: string };
}

/** What a reader makes of a document it detected. */
export interface Normalized {
  /** Only when the reader keeps the document as `file` (a recognised but unsupported version). */
  kind?: EvidenceKind;
  format: string;
  data: EvidenceData;
  timestamp?: string;
  problems: ReaderProblem[];
}

/**
 * A reader module exports these. `detect` must be cheap and total (never throw,
 * never report); `normalize` runs only on a detected document and reports
 * problems as results.
 */
export interface Reader {
  kind: EvidenceKind;
  syntaxes: readonly Syntax[];
  detect(doc: unknown, ctx: ReaderContext): boolean;
  normalize(doc: unknown, ctx: ReaderContext): Normalized;
}

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** undefined/null → [], an array → itself, anything else → [it] (XML gives a lone child as a non-array). */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A non-empty string (numbers are written as strings); the text of an XML element. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isObject(value) && '#text' in value) return str(value['#text']);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export function get(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

/**
 * A copy without undefined properties, so results compare and serialise cleanly.
 * (Copying rather than deleting keeps objects in V8's fast mode: readers build
 * thousands of these per SBOM.)
 */
export function compact<T extends object>(value: T): T {
  const out = {} as Record<string, unknown>;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedUnique(values: Iterable<string | undefined>): string[] {
  const set = new Set<string>();
  for (const v of values) if (v !== undefined && v !== '') set.add(v);
  return [...set].sort(compareText);
}

export function error(code: string, message: string, extra: Partial<ReaderProblem> = {}): ReaderProblem {
  return { severity: 'error', code, message, ...extra };
}

export function warning(code: string, message: string, extra: Partial<ReaderProblem> = {}): ReaderProblem {
  return { severity: 'warning', code, message, ...extra };
}

export function note(code: string, message: string, extra: Partial<ReaderProblem> = {}): ReaderProblem {
  return { severity: 'note', code, message, ...extra };
}

// ---------------------------------------------------------------------------
// Timestamps (SPEC §7): always ISO 8601 in UTC; a time without a zone is UTC.

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * An ISO 8601 date or date-time → `YYYY-MM-DDTHH:MM:SS.sssZ`; a date alone is
 * midnight UTC, a time without a zone is UTC, fractions beyond milliseconds are
 * truncated (Trivy and OpenVEX write nanoseconds). Undefined when not a valid date.
 */
export function toIsoUtc(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = isoPattern.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  const millis = Number((frac + '000').slice(0, 3));
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), millis);
  // Reject impossible days (2023-02-30) rather than rolling them over.
  if (hour < 24 && (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)) return undefined;
  return new Date(date.getTime() - offsetMinutes * 60_000).toISOString();
}

/** Unix seconds (a number or a decimal string, as in Sigstore bundles) → ISO UTC. */
export function fromUnixSeconds(value: unknown): string | undefined {
  const n = num(value);
  if (n === undefined || n <= 0) return undefined;
  const date = new Date(n * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Reads a timestamp field; a value that is present but not a date is reported
 * (as a warning: the file's commit date is used instead) rather than dropped silently.
 */
export function readTimestamp(value: unknown, field: string, problems: ReaderProblem[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // Go's zero time means "not set" (Grype, gitleaks).
  if (typeof value === 'string' && value.startsWith('0001-01-01')) return undefined;
  const iso = toIsoUtc(value);
  if (iso === undefined) {
    problems.push(warning('evidence-invalid', `${field} ${JSON.stringify(value)} is not an ISO 8601 date; the file's commit date is used instead.`));
  }
  return iso;
}

export function newest(values: Iterable<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const v of values) if (v !== undefined && (best === undefined || v > best)) best = v;
  return best;
}

// ---------------------------------------------------------------------------
// Severities (SPEC §4): negligible/info → LOW, moderate → MEDIUM, unknown → UNKNOWN.

const severityWords: Record<string, VulnSeverity> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  important: 'HIGH',
  medium: 'MEDIUM',
  moderate: 'MEDIUM',
  low: 'LOW',
  minor: 'LOW',
  negligible: 'LOW',
  info: 'LOW',
  informational: 'LOW',
  // CycloneDX rates "none" for a score of 0: the lowest band there is.
  none: 'LOW',
};

export function normalizeSeverity(raw: unknown): VulnSeverity {
  if (typeof raw !== 'string') return 'UNKNOWN';
  return severityWords[raw.trim().toLowerCase()] ?? 'UNKNOWN';
}

const severityRank: Record<VulnSeverity, number> = { UNKNOWN: -1, LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

export function maxSeverity(a: VulnSeverity, b: VulnSeverity): VulnSeverity {
  return severityRank[b] > severityRank[a] ? b : a;
}

/** CVSS score bands: ≥9 CRITICAL, ≥7 HIGH, ≥4 MEDIUM, >0 LOW (0 is "none": LOW too). */
export function severityFromScore(score: number | undefined): VulnSeverity {
  if (score === undefined || !Number.isFinite(score) || score < 0) return 'UNKNOWN';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return 'LOW';
}

/**
 * Base score of a CVSS v3.x or v2 vector (OSV gives vectors, not scores).
 * CVSS v4 is not computed (its scoring needs the full macro-vector table):
 * undefined, so the severity falls back to other data or UNKNOWN.
 */
export function cvssBaseScore(vector: string): number | undefined {
  const metrics = new Map<string, string>();
  for (const part of vector.trim().split('/')) {
    const [k, v] = part.split(':');
    if (k && v) metrics.set(k, v);
  }
  const version = metrics.get('CVSS');
  if (version === '3.0' || version === '3.1') return cvss3(metrics);
  if (version === undefined && metrics.has('Au')) return cvss2(metrics);
  return undefined;
}

function cvss3(m: Map<string, string>): number | undefined {
  const AV = ({ N: 0.85, A: 0.62, L: 0.55, P: 0.2 } as Record<string, number>)[m.get('AV') ?? ''];
  const AC = ({ L: 0.77, H: 0.44 } as Record<string, number>)[m.get('AC') ?? ''];
  const UI = ({ N: 0.85, R: 0.62 } as Record<string, number>)[m.get('UI') ?? ''];
  const S = m.get('S');
  const PR = (S === 'C' ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 } as Record<string, number>)[m.get('PR') ?? ''];
  const cia = { H: 0.56, L: 0.22, N: 0 } as Record<string, number>;
  const C = cia[m.get('C') ?? ''];
  const I = cia[m.get('I') ?? ''];
  const A = cia[m.get('A') ?? ''];
  if ([AV, AC, UI, PR, C, I, A].some((x) => x === undefined) || (S !== 'U' && S !== 'C')) return undefined;
  const iss = 1 - (1 - C!) * (1 - I!) * (1 - A!);
  const impact = S === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * AV! * AC! * PR! * UI!;
  return roundUp1(Math.min(S === 'U' ? impact + exploitability : 1.08 * (impact + exploitability), 10));
}

// CVSS 3.1 Roundup: the smallest number with one decimal ≥ the input, robust to float noise.
function roundUp1(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

function cvss2(m: Map<string, string>): number | undefined {
  const AV = ({ L: 0.395, A: 0.646, N: 1 } as Record<string, number>)[m.get('AV') ?? ''];
  const AC = ({ H: 0.35, M: 0.61, L: 0.71 } as Record<string, number>)[m.get('AC') ?? ''];
  const Au = ({ M: 0.45, S: 0.56, N: 0.704 } as Record<string, number>)[m.get('Au') ?? ''];
  const cia = { N: 0, P: 0.275, C: 0.66 } as Record<string, number>;
  const C = cia[m.get('C') ?? ''];
  const I = cia[m.get('I') ?? ''];
  const A = cia[m.get('A') ?? ''];
  if ([AV, AC, Au, C, I, A].some((x) => x === undefined)) return undefined;
  const impact = 10.41 * (1 - (1 - C!) * (1 - I!) * (1 - A!));
  const exploitability = 20 * AV! * AC! * Au!;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

// ---------------------------------------------------------------------------
// Digests and hashes: lower-case algorithm names (sha256, sha512, sha1), lower-case hex.

const algorithmCache = new Map<string, string>();

export function normalizeAlgorithm(alg: string): string {
  let known = algorithmCache.get(alg);
  if (known === undefined) {
    known = algorithmName(alg);
    if (algorithmCache.size < 256) algorithmCache.set(alg, known);
  }
  return known;
}

function algorithmName(alg: string): string {
  const a = alg.trim().toLowerCase().replace(/_/g, '-');
  const sha = /^sha-?(1|224|256|384|512)$/.exec(a);
  if (sha) return `sha${sha[1]}`;
  const sha2 = /^sha2-(256|384|512)$/.exec(a); // Sigstore's SHA2_256
  if (sha2) return `sha${sha2[1]}`;
  return a;
}

/** Hex is lower-cased; anything else (base64 digests) keeps its case. */
export function normalizeDigestValue(value: string): string {
  const v = value.trim();
  // Most digests are already lower-case hex: only look further when an upper-case letter appears.
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return /^[0-9a-fA-F]+$/.test(v) ? v.toLowerCase() : v;
  }
  return v;
}

/** `{alg → content}` from any list of entries; the first value per algorithm wins. */
export function hashMap(entries: Iterable<{ alg?: string; value?: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { alg, value } of entries) {
    if (!alg || !value) continue;
    const key = normalizeAlgorithm(alg);
    out[key] ??= normalizeDigestValue(value);
  }
  return out;
}

/** Lower-cases a file name (without folders) for name-based decisions. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return (parts[parts.length - 1] ?? '').toLowerCase();
}
