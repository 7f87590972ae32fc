// Reading a packet back: find the embedded evident-manifest.json in the PDF's
// objects, inflate it, check it; and the pure comparison of a manifest with
// the hashes of the files found. The PDF is parsed as evident writes it
// (pdfkit: plain indirect objects, no object streams); a PDF that is not
// shaped like that is "not an evident packet".
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { manifestName } from './document.ts';
import type { Manifest, ManifestFile } from './types.ts';

export type ManifestRead = { ok: true; manifest: Manifest } | { ok: false; reason: string };

/** Extracts and checks the manifest; never throws on bad input. */
export function readPacketManifest(pdf: Uint8Array): ManifestRead {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, reason: 'not a PDF file (no %PDF- header)' };
  const text = bytes.toString('latin1');
  const name = manifestName.replace(/[.]/g, '\\.');
  const spec = new RegExp(`/F\\s*\\(${name}\\)`).exec(text);
  if (!spec) return { ok: false, reason: `not an evident packet: no embedded ${manifestName}` };
  const owner = objectAround(text, spec.index);
  const ef = owner && /\/EF\s*<<\s*\/F\s+(\d+)\s+(\d+)\s+R/.exec(owner.body);
  if (!ef) return { ok: false, reason: `manifest unreadable: the file specification of ${manifestName} has no embedded file stream` };
  const stream = streamOf(bytes, text, Number(ef[1]), Number(ef[2]));
  if (!stream.ok) return { ok: false, reason: `manifest unreadable: ${stream.reason}` };
  let data: Buffer;
  try {
    data = /\/Filter\s*\/FlateDecode/.test(stream.dict) ? inflateSync(stream.data) : /\/Filter/.test(stream.dict) ? unsupported() : stream.data;
  } catch (error) {
    return { ok: false, reason: `manifest unreadable: ${(error as Error).message}` };
  }
  const checksum = /\/CheckSum\s*\(([0-9a-fA-F]{32})\)/.exec(stream.dict);
  if (checksum && createHash('md5').update(data).digest('hex') !== checksum[1].toLowerCase()) return { ok: false, reason: 'manifest unreadable: its content does not match its recorded checksum' };
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `manifest unreadable: not JSON (${(error as Error).message})` };
  }
  const problem = checkManifest(json);
  return problem ? { ok: false, reason: `manifest unreadable: ${problem}` } : { ok: true, manifest: json as Manifest };
}

function unsupported(): never {
  throw new Error('the manifest stream uses a filter other than FlateDecode');
}

/** The text of the indirect object that contains offset `at`. */
function objectAround(text: string, at: number): { body: string } | undefined {
  const head = /(\d+)\s+(\d+)\s+obj\b/g;
  let start = -1;
  for (let m; (m = head.exec(text)) && m.index < at; ) start = m.index;
  if (start < 0) return undefined;
  const end = text.indexOf('endobj', at);
  return end < 0 ? undefined : { body: text.slice(start, end) };
}

function streamOf(bytes: Buffer, text: string, id: number, gen: number): { ok: true; dict: string; data: Buffer } | { ok: false; reason: string } {
  // the last definition wins, as after an incremental update
  const re = new RegExp(`(?:^|[\\r\\n\\s])${id}\\s+${gen}\\s+obj\\b`, 'g');
  let start = -1;
  for (let m; (m = re.exec(text)); ) start = m.index + m[0].length;
  if (start < 0) return { ok: false, reason: `object ${id} ${gen} R is missing` };
  const keyword = /\bstream(\r\n|\n|\r)/.exec(text.slice(start));
  const endobj = text.indexOf('endobj', start);
  if (!keyword || (endobj >= 0 && start + keyword.index > endobj)) return { ok: false, reason: `object ${id} ${gen} R is not a stream` };
  const dict = text.slice(start, start + keyword.index);
  const dataStart = start + keyword.index + keyword[0].length;
  let length: number | undefined;
  const direct = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
  const indirect = /\/Length\s+(\d+)\s+(\d+)\s+R/.exec(dict);
  if (indirect) {
    const m = new RegExp(`(?:^|[\\r\\n\\s])${indirect[1]}\\s+${indirect[2]}\\s+obj\\s+(\\d+)\\s+endobj`).exec(text);
    length = m ? Number(m[1]) : undefined;
  } else if (direct) length = Number(direct[1]);
  if (length === undefined) {
    const end = text.indexOf('endstream', dataStart);
    if (end < 0) return { ok: false, reason: `object ${id} ${gen} R has no stream length` };
    length = end - dataStart;
  }
  if (dataStart + length > bytes.length) return { ok: false, reason: `object ${id} ${gen} R is truncated` };
  return { ok: true, dict, data: bytes.subarray(dataStart, dataStart + length) };
}

/** null when `json` is a manifest evident can verify, else what is wrong with it. */
export function checkManifest(json: unknown): string | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return 'not a JSON object';
  const m = json as Record<string, unknown>;
  if (m.evidentPacket !== 1) return `unsupported manifest version ${JSON.stringify(m.evidentPacket)}`;
  if (m.commit !== null && (typeof m.commit !== 'object' || typeof (m.commit as Record<string, unknown>).sha !== 'string' || !/^[0-9a-f]{7,64}$/.test((m.commit as Record<string, string>).sha))) return 'commit is neither null nor {sha, date, dirty}';
  if (!Array.isArray(m.files)) return 'files is not a list';
  for (const [i, f] of (m.files as unknown[]).entries()) {
    if (!f || typeof f !== 'object') return `files[${i}] is not an object`;
    const file = f as Record<string, unknown>;
    if (typeof file.path !== 'string' || !safePath(file.path)) return `files[${i}].path is not a relative path inside the content root`;
    if (typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256)) return `files[${i}].sha256 is not a SHA-256 in hex`;
    if (file.commit !== null && typeof file.commit !== 'string') return `files[${i}].commit is neither null nor a string`;
  }
  return null;
}

function safePath(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && !/^[a-zA-Z]:/.test(p) && !p.includes('\\') && !p.includes('\0') && p.split('/').every((s) => s !== '..' && s !== '' && s !== '.');
}

export interface FileMismatch {
  path: string;
  expected: string;
  actual: string;
}

export interface ManifestComparison {
  /** Files whose hash matches. */
  matched: string[];
  /** Files present with another hash. */
  changed: FileMismatch[];
  /** Files not found. */
  missing: string[];
}

/** Compares every manifest entry with the hash found for its path (absent from `files`: missing). Sorted by path. */
export function compareManifest(manifest: Pick<Manifest, 'files'>, files: Map<string, string>): ManifestComparison {
  const out: ManifestComparison = { matched: [], changed: [], missing: [] };
  const entries: ManifestFile[] = [...manifest.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of entries) {
    const actual = files.get(f.path);
    if (actual === undefined) out.missing.push(f.path);
    else if (actual !== f.sha256) out.changed.push({ path: f.path, expected: f.sha256, actual });
    else out.matched.push(f.path);
  }
  return out;
}

export const isClean = (c: ManifestComparison) => c.changed.length === 0 && c.missing.length === 0;
