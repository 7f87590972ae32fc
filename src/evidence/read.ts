// One evidence file → its kind, normalised data and problems (SPEC §7).
//
// Pipeline: empty → Git LFS pointer → decode → SPDX tag-value → sniff JSON or
// XML by the first non-space character → parse → ask each reader, in order,
// whether it recognises the document → normalise. The kind always comes from
// the content; the file name only decides what the content cannot (a clean
// gitleaks report is `[]`) and whether a file that does not parse "claims" a
// format (then it is an error, else simply a plain `file`).
//
// readEvidence never throws: an unexpected failure is an `evidence-invalid` problem.
import { parseXml } from '../parse/xml.ts';
import { baseName, compareText, error, warning, type Normalized, type Reader, type ReaderContext, type Syntax } from './readers/common.ts';
import * as branchProtection from './readers/branch-protection.ts';
import * as cyclonedx from './readers/cyclonedx.ts';
import * as gitleaks from './readers/gitleaks.ts';
import * as grype from './readers/grype.ts';
import * as intoto from './readers/intoto.ts';
import * as junit from './readers/junit.ts';
import * as kev from './readers/kev.ts';
import * as npmAudit from './readers/npm-audit.ts';
import * as openvex from './readers/openvex.ts';
import * as osvScanner from './readers/osv-scanner.ts';
import * as sarif from './readers/sarif.ts';
import * as scorecard from './readers/scorecard.ts';
import * as sigstore from './readers/sigstore.ts';
import * as spdx from './readers/spdx.ts';
import * as trivy from './readers/trivy.ts';
import { decodeText, looksLikeJsonLines, parseJson, parseJsonLines } from './text.ts';
import type { ReaderProblem, ReadResult } from './types.ts';

export interface ReadOptions {
  /** Keep the parsed document (XML in its JSON form) in `json`, for declarative policies. */
  keepJson?: boolean;
}

/**
 * Readers in detection order. Order matters only where shapes overlap: the
 * in-toto reader claims Sigstore bundles that carry SLSA provenance before the
 * Sigstore reader sees them.
 */
export const readers: readonly Reader[] = [cyclonedx, spdx, intoto, sigstore, openvex, sarif, grype, trivy, osvScanner, npmAudit, scorecard, kev, branchProtection, gitleaks, junit];

/** Extensions that claim JSON or XML: such a file that does not parse is an error. */
const claimingExtensions = new Set(['.json', '.jsonl', '.ndjson', '.sarif', '.xml', '.cdx', '.spdx', '.intoto', '.sigstore', '.bundle']);
const jsonLinesExtensions = new Set(['.jsonl', '.ndjson']);
/** Text documents whose first character may be `{`, `[` or `<` without claiming JSON or XML. */
const plainTextExtensions = new Set(['.md', '.markdown', '.txt', '.text', '.html', '.htm', '.csv', '.tsv', '.yaml', '.yml', '.toml', '.ini', '.log', '.rst', '.adoc', '.svg']);

const lfsPrefix = 'version https://git-lfs.github.com/spec/v1';

export function readEvidence(path: string, bytes: Uint8Array, options: ReadOptions = {}): ReadResult {
  try {
    const result = read(path, bytes, options);
    result.problems.sort(compareProblems);
    return result;
  } catch (e) {
    return {
      kind: 'file',
      data: {},
      problems: [error('evidence-invalid', `The evidence could not be read: ${(e as Error)?.message ?? String(e)}`)],
    };
  }
}

function read(path: string, bytes: Uint8Array, options: ReadOptions): ReadResult {
  if (bytes.length === 0) {
    return { kind: 'file', data: {}, problems: [warning('file-empty', 'The evidence file is empty.')] };
  }
  if (startsWithAscii(bytes, lfsPrefix)) {
    return {
      kind: 'file',
      format: 'Git LFS pointer',
      data: {},
      problems: [warning('evidence-lfs-pointer', 'The file is a Git LFS pointer, not the evidence itself; it is not read.')],
    };
  }
  const fileName = baseName(path);
  const ext = extensionOf(fileName);
  const claimedByName = claimingExtensions.has(ext);
  const decoded = decodeText(bytes);
  if (!decoded.ok) {
    return claimedByName
      ? { kind: 'file', data: {}, problems: [error('evidence-parse-error', `The file claims to be ${ext.slice(1).toUpperCase()} by its name, but ${decoded.message.charAt(0).toLowerCase()}${decoded.message.slice(1)}`)] }
      : { kind: 'file', data: {}, problems: [] };
  }
  const text = decoded.text;
  if (/^(?:\s*#[^\n]*\n)*\s*SPDXVersion:/.test(text)) {
    const version = /SPDXVersion:\s*(\S+)/.exec(text)?.[1] ?? 'SPDX';
    return {
      kind: 'file',
      format: `SPDX tag-value (${version})`,
      data: {},
      problems: [
        warning('evidence-unsupported-format', `SPDX tag-value (${version}) is not supported; the file is kept as a plain file.`, {
          hint: 'Convert it to SPDX JSON (for example `pyspdxtools -i sbom.spdx -o sbom.spdx.json`) so that SBOM policies read it.',
        }),
      ],
    };
  }
  const first = text.match(/\S/)?.[0];
  let syntax: Syntax | undefined = first === '{' || first === '[' ? 'json' : first === '<' ? 'xml' : undefined;
  const claims = claimedByName || (syntax !== undefined && !plainTextExtensions.has(ext));
  if (syntax === undefined) {
    if (!claimedByName) return { kind: 'file', data: {}, problems: [] };
    // The name claims the format: let its parser say what is wrong, and where.
    syntax = ext === '.xml' ? 'xml' : 'json';
  }

  const ctx: ReaderContext = { path, fileName, syntax, jsonLines: false };
  let doc: unknown;
  if (syntax === 'json') {
    const parsed = parseJsonDocument(text, jsonLinesExtensions.has(ext));
    if (!parsed.ok) {
      return claims ? { kind: 'file', format: 'JSON', data: {}, problems: [parsed.problem] } : { kind: 'file', data: {}, problems: [] };
    }
    doc = parsed.value;
    ctx.jsonLines = parsed.jsonLines;
  } else {
    const parsed = parseXml(text);
    if (!parsed.ok) {
      const problem = error(parsed.code, parsed.message, parsed.line !== undefined ? { line: parsed.line, column: parsed.column ?? 1 } : {});
      return claims ? { kind: 'file', format: 'XML', data: {}, problems: [problem] } : { kind: 'file', data: {}, problems: [] };
    }
    doc = parsed.doc;
    ctx.xmlRoot = parsed.root;
  }

  const json = options.keepJson ? { json: doc } : {};
  const reader = readers.find((r) => r.syntaxes.includes(syntax) && r.detect(doc, ctx));
  if (!reader) {
    return { kind: 'file', format: syntax === 'json' ? (ctx.jsonLines ? 'JSON Lines' : 'JSON') : 'XML', data: {}, ...json, problems: [] };
  }
  let normalized: Normalized;
  try {
    normalized = reader.normalize(doc, ctx);
  } catch (e) {
    // A reader bug or a shape no check anticipated: report it, keep the file listed.
    return {
      kind: 'file',
      data: {},
      ...json,
      problems: [error('evidence-invalid', `The file looks like ${reader.kind} evidence but could not be read: ${(e as Error)?.message ?? String(e)}`)],
    };
  }
  return {
    kind: normalized.kind ?? reader.kind,
    format: normalized.format,
    data: normalized.data,
    ...(normalized.timestamp !== undefined ? { timestamp: normalized.timestamp } : {}),
    ...json,
    problems: normalized.problems,
  };
}

type JsonDocument = { ok: true; value: unknown; jsonLines: boolean } | { ok: false; problem: ReaderProblem };

/**
 * One JSON document, or JSON Lines (`.jsonl`, or several lines that each hold an
 * object, as slsa-github-generator writes DSSE envelopes). A single line is a
 * plain document.
 */
function parseJsonDocument(text: string, jsonLinesByName: boolean): JsonDocument {
  if (!jsonLinesByName) {
    const whole = parseJson(text);
    if (whole.ok) return { ok: true, value: whole.value, jsonLines: false };
    if (!looksLikeJsonLines(text)) return { ok: false, problem: error('evidence-parse-error', whole.message, { line: whole.line, column: whole.column }) };
  }
  const lines = parseJsonLines(text);
  if (!lines.ok) {
    // A .jsonl that holds one pretty-printed document is still that document.
    const whole = jsonLinesByName ? parseJson(text) : undefined;
    if (whole?.ok) return { ok: true, value: whole.value, jsonLines: false };
    return { ok: false, problem: error('evidence-parse-error', lines.message, { line: lines.line, column: lines.column }) };
  }
  if (lines.values.length === 1) return { ok: true, value: lines.values[0], jsonLines: false };
  return { ok: true, value: lines.values, jsonLines: true };
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot) : '';
}

function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function compareProblems(a: ReaderProblem, b: ReaderProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || compareText(a.code, b.code) || compareText(a.message, b.message);
}
