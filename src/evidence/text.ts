// Bytes → text → JSON for evidence files, with syntax errors positioned.
//
// JSON.parse is the fast path. Only when it fails does a small scanner walk the
// text to find where (V8's messages do not always carry a position).

export type DecodeResult = { ok: true; text: string } | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** UTF-8 (BOM stripped), or UTF-16 when a UTF-16 BOM says so (PowerShell writes that). */
export function decodeText(bytes: Uint8Array): DecodeResult {
  try {
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
      return { ok: true, text: new TextDecoder('utf-16le', { fatal: true }).decode(bytes) };
    }
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
      return { ok: true, text: new TextDecoder('utf-16be', { fatal: true }).decode(bytes) };
    }
    // The UTF-8 decoder strips a leading BOM itself (ignoreBOM: false).
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, message: 'The file is not valid UTF-8 text.' };
  }
}

export interface TextPosition {
  line: number;
  column: number;
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/** 1-based line and column of a UTF-16 offset. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: Math.max(1, offset - start + 1) };
}

/** Parses one JSON text; a syntax error comes back with its line and column. */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const offset = jsonErrorOffset(text) ?? text.length;
    return { ok: false, message: `Malformed JSON: ${cleanJsonMessage((error as Error).message)}`, ...positionAt(text, offset) };
  }
}

/**
 * Parses JSON Lines: one JSON value per non-blank line. Errors are positioned in
 * the whole file.
 */
export function parseJsonLines(text: string): { ok: true; values: unknown[] } | { ok: false; message: string; line: number; column: number } {
  const values: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const parsed = parseJson(line);
    if (!parsed.ok) return { ok: false, message: parsed.message, line: i + 1, column: parsed.column };
    values.push(parsed.value);
  }
  return { ok: true, values };
}

/** True when the text has several non-blank lines that each start like a JSON object. */
export function looksLikeJsonLines(text: string): boolean {
  let count = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line[0] !== '{') return false;
    count++;
  }
  return count >= 2;
}

// V8 appends the position and sometimes echoes a slice of the input; the
// position goes into line/column instead (STYLE.md: no position in the text).
function cleanJsonMessage(message: string): string {
  return message
    .replace(/,? ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+(?: \(line \d+ column \d+\))?/, '')
    .trim();
}

const jsonNumber = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Offset of the first JSON syntax error, found by a strict recursive-descent
 * scan (RFC 8259). Undefined when the scan finds none (or nests too deep).
 */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw i;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          throw i;
        }
        continue;
      }
      if (c < 0x20) throw i;
      i++;
    }
    throw i;
  };
  const value = (depth: number): void => {
    if (depth > 2000) throw -1;
    ws();
    if (i >= n) throw i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw i;
        string();
        ws();
        if (text[i] !== ':') throw i;
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw i;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw i;
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      jsonNumber.lastIndex = i;
      if (!jsonNumber.test(text)) throw i;
      i = jsonNumber.lastIndex;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    throw i;
  };
  try {
    value(0);
    ws();
    return i < n ? i : undefined;
  } catch (thrown) {
    return typeof thrown === 'number' && thrown >= 0 ? thrown : undefined;
  }
}

/**
 * Offset of the value at a JSON Pointer (RFC 6901) in JSON text, found by
 * walking the text's structure; for schema errors, which name an instance path.
 * Undefined when the text does not have that path.
 */
export function locateJsonPointer(text: string, pointer: string): number | undefined {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let i = skipSpace(text, 0);
  for (const segment of segments) {
    const open = text[i];
    if (open === '{') {
      i = skipSpace(text, i + 1);
      for (;;) {
        if (text[i] !== '"') return undefined;
        const keyEnd = skipValue(text, i);
        let key: unknown;
        try {
          key = JSON.parse(text.slice(i, keyEnd));
        } catch {
          return undefined;
        }
        i = skipSpace(text, keyEnd);
        if (text[i] !== ':') return undefined;
        i = skipSpace(text, i + 1);
        if (key === segment) break;
        i = skipSpace(text, skipValue(text, i));
        if (text[i] !== ',') return undefined;
        i = skipSpace(text, i + 1);
      }
    } else if (open === '[') {
      const index = /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : -1;
      if (index < 0) return undefined;
      i = skipSpace(text, i + 1);
      for (let k = 0; k < index; k++) {
        if (text[i] === ']') return undefined;
        i = skipSpace(text, skipValue(text, i));
        if (text[i] !== ',') return undefined;
        i = skipSpace(text, i + 1);
      }
      if (text[i] === ']') return undefined;
    } else {
      return undefined;
    }
  }
  return i;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** The offset just after the JSON value that starts at i (the text is known to be valid JSON). */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '"') return j + 1;
    }
    return text.length;
  }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') {
        j = skipValue(text, j) - 1;
      } else if (d === '{' || d === '[') {
        depth++;
      } else if (d === '}' || d === ']') {
        if (--depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !',]} \n\r\t'.includes(text[j]!)) j++;
  return j;
}
