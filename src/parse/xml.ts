// XML text → a plain JSON form, with syntax errors positioned by the parser.
//
// Safety: entity expansion is off. A DOCTYPE that declares entities is refused
// before parsing (no XXE, no "billion laughs"); external DTDs are never loaded.
// Only the five predefined entities and numeric character references are
// decoded, which cannot expand.
//
// The JSON form (what declarative policies read, and what evidence readers walk)
// is deterministic: the same text always gives the same value.
//   - an element with only text is its text (a string; values are never converted
//     to numbers or booleans, so "1.10" stays "1.10");
//   - an empty element is "";
//   - attributes are properties named "@name" (prefixes kept: "@xsi:type"), the
//     text beside attributes or child elements is "#text";
//   - a repeated child element is an array, in document order; a single one is
//     not (JSONata treats both alike);
//   - namespace prefixes are dropped from element names, comments and
//     processing instructions are dropped, CDATA joins the text.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlRoot {
  /** The root element's qualified name as written (`bom`, `c:bom`). */
  name: string;
  /** Its name without a prefix. */
  localName: string;
  /** The namespace URI the root element is in, when declared on it. */
  namespace?: string;
}

export type XmlParseResult =
  | { ok: true; doc: Record<string, unknown>; root: XmlRoot }
  | {
      ok: false;
      /** `evidence-xml-entities` for a DOCTYPE with entity declarations, else `evidence-parse-error`. */
      code: 'evidence-parse-error' | 'evidence-xml-entities';
      message: string;
      line?: number;
      column?: number;
    };

const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; anything else stays as written. */
export function decodeXmlEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return predefined[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

function makeParser(onTag: (name: string) => void): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    // Entities are never expanded by the parser; see decodeXmlEntities.
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    jPath: false,
    tagValueProcessor: (_name, value) => decodeXmlEntities(value),
    attributeValueProcessor: (_name, value) => decodeXmlEntities(value),
    transformTagName: (name) => {
      onTag(name);
      const colon = name.indexOf(':');
      return colon < 0 ? name : name.slice(colon + 1);
    },
  });
}

/** Parses XML text into its JSON form; never throws. */
export function parseXml(text: string): XmlParseResult {
  const entities = findEntityDeclaration(text);
  if (entities !== undefined) {
    return {
      ok: false,
      code: 'evidence-xml-entities',
      message: 'The XML declares entities in its DOCTYPE; entity expansion is off, so the document is not read.',
      ...lineColumn(text, entities),
    };
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const unclosed = unclosedTags(valid.err.msg);
    if (unclosed) {
      // The validator reports a truncated document at 1:1 with its tag stack; the problem is at the end.
      return {
        ok: false,
        code: 'evidence-parse-error',
        message: `Malformed XML: the document ends before <${unclosed[unclosed.length - 1]}> is closed (unclosed: ${unclosed.join(', ')}); is it truncated?`,
        ...lineColumn(text, text.trimEnd().length),
      };
    }
    return { ok: false, code: 'evidence-parse-error', message: `Malformed XML: ${valid.err.msg}`, line: valid.err.line, column: valid.err.col };
  }
  let rootName: string | undefined;
  let doc: unknown;
  try {
    doc = makeParser((name) => {
      rootName ??= name.replace(/\/$/, '');
    }).parse(text);
  } catch (error) {
    return { ok: false, code: 'evidence-parse-error', message: `Malformed XML: ${(error as Error).message}` };
  }
  if (typeof doc !== 'object' || doc === null || rootName === undefined) {
    return { ok: false, code: 'evidence-parse-error', message: 'Malformed XML: no root element.' };
  }
  const record = doc as Record<string, unknown>;
  const colon = rootName.indexOf(':');
  const localName = colon < 0 ? rootName : rootName.slice(colon + 1);
  const rootNode = record[localName];
  const attrs = typeof rootNode === 'object' && rootNode !== null ? (rootNode as Record<string, unknown>) : {};
  const nsAttr = colon < 0 ? '@xmlns' : `@xmlns:${rootName.slice(0, colon)}`;
  const namespace = typeof attrs[nsAttr] === 'string' ? (attrs[nsAttr] as string) : undefined;
  return { ok: true, doc: record, root: { name: rootName, localName, ...(namespace !== undefined ? { namespace } : {}) } };
}

/**
 * Offset of the first `<!ENTITY` inside a DOCTYPE in the prolog, if any. The
 * prolog is walked structurally (declaration, comments, processing
 * instructions) so that text in comments or in the body never matches.
 */
function findEntityDeclaration(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      // Skip quoted literals; an internal subset runs from '[' to its ']'.
      let j = i + 9;
      let quote: string | undefined;
      let inSubset = false;
      for (; j < n; j++) {
        const c = text[j]!;
        if (quote) {
          if (c === quote) quote = undefined;
        } else if (c === '"' || c === "'") {
          quote = c;
        } else if (c === '[') {
          inSubset = true;
        } else if (inSubset && text.startsWith('<!--', j)) {
          const end = text.indexOf('-->', j + 4);
          if (end < 0) return undefined;
          j = end + 2;
        } else if (inSubset && text.startsWith('<!ENTITY', j)) {
          return j;
        } else if (c === ']') {
          inSubset = false;
        } else if (c === '>' && !inSubset) {
          break;
        }
      }
      i = j + 1;
    } else {
      return undefined;
    }
  }
}

/** The tag stack of fast-xml-parser's "Invalid '[...]' found." message for unclosed tags. */
function unclosedTags(message: string): string[] | undefined {
  const m = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(message);
  if (!m) return undefined;
  try {
    const tags: unknown = JSON.parse(m[1]!);
    return Array.isArray(tags) && tags.length > 0 && tags.every((t) => typeof t === 'string') ? (tags as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
