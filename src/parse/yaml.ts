// YAML text → data + source positions. Syntax problems become diagnostics;
// positions come from the parser's node ranges (STYLE.md 2).
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.ts';

export const yamlLimits = { maxAliasCount: 100, maxDepth: 64 };

export type PathSegment = string | number;

export interface YamlDocument {
  data: unknown;
  /** Position of the document's first node. */
  start: Position;
  /** Position of the node at `path` (or of its nearest existing ancestor). */
  positionOf(path: readonly PathSegment[]): Position;
  /** Position of the key of the pair at `path` (for "unknown field" diagnostics). */
  keyPositionOf(path: readonly PathSegment[]): Position;
  /** Position just after the node at `path` ends. */
  endOf(path: readonly PathSegment[]): Position;
  /** The positions as plain data (see documentFromSnapshot). */
  snapshot(): PositionSnapshot;
}

export interface YamlParseResult {
  documents: YamlDocument[];
  diagnostics: Diagnostic[];
}

/** Parses every document of a YAML stream; a broken document is reported and left out. */
export function parseYaml(text: string, file: string, lineOffset = 0): YamlParseResult {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: YamlDocument[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  } catch (error) {
    diagnostics.push({ file, line: 1 + lineOffset, column: 1, severity: 'error', code: 'yaml-syntax', message: String((error as Error).message) });
    return { documents, diagnostics };
  }
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + lineOffset, column: p.col };
  };
  for (const doc of docs) {
    let broken = false;
    for (const err of doc.errors) {
      broken = true;
      const code = err.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax';
      diagnostics.push({ file, ...pos(err.pos[0]), severity: 'error', code, message: cleanMessage(err.message) });
    }
    for (const warn of doc.warnings) {
      diagnostics.push({ file, ...pos(warn.pos[0]), severity: 'warning', code: 'yaml-syntax', message: cleanMessage(warn.message) });
    }
    if (broken) continue;
    if (doc.contents === null) continue; // an empty document (e.g. a trailing ---)
    const depth = nodeDepth(doc.contents as Node, 0);
    if (depth > yamlLimits.maxDepth) {
      diagnostics.push({ file, ...pos(rangeStart(doc.contents as Node)), severity: 'error', code: 'yaml-depth-limit', message: `The document nests deeper than ${yamlLimits.maxDepth} levels; it is skipped.` });
      continue;
    }
    const complexKey = findComplexKey(doc.contents as Node);
    if (complexKey) {
      diagnostics.push({ file, ...pos(rangeStart(complexKey)), severity: 'error', code: 'yaml-syntax', message: 'A mapping key must be a plain value, not a list or a mapping; the document is skipped.' });
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: yamlLimits.maxAliasCount });
    } catch (error) {
      const message = String((error as Error).message);
      const isAlias = /alias/i.test(message);
      diagnostics.push({
        file,
        ...pos(rangeStart(doc.contents as Node)),
        severity: 'error',
        code: isAlias ? 'yaml-alias-limit' : 'yaml-syntax',
        message: isAlias ? `The document expands YAML aliases beyond the limit of ${yamlLimits.maxAliasCount} (${cleanMessage(message)}); it is skipped.` : cleanMessage(message),
      });
      continue;
    }
    const root = doc.contents as Node;
    const endOf = (node: Node) => pos(Math.max(rangeStart(node), (node.range?.[1] ?? 1) - 1));
    documents.push({
      data,
      start: pos(rangeStart(root)),
      positionOf: (path) => pos(rangeStart(findNode(root, path).node)),
      endOf: (path) => endOf(findNode(root, path).node),
      keyPositionOf: (path) => {
        const found = findNode(root, path);
        return pos(found.key && found.exact ? rangeStart(found.key) : rangeStart(found.node));
      },
      snapshot: () => snapshotNode(root, (offset) => pos(offset), endOf),
    });
  }
  return { documents, diagnostics };
}

/**
 * A document's positions as plain data, so that a parsed document can be kept
 * as JSON and answer position queries without parsing the YAML again (the
 * built-in catalogs, see src/load/builtins.ts). A node is [line, column, end
 * line, end column, children]; children map a key to [key line, key column,
 * value node] (or [key line, key column, null, key end line, key end
 * column] when the value is no node), or list the items of a sequence.
 */
export type PositionSnapshot = [number, number, number, number, ({ [key: string]: SnapshotPair } | (PositionSnapshot | null)[])?];
/** A key's position and its value's node; a key without a value node keeps its own end. */
type SnapshotPair = [number, number, PositionSnapshot] | [number, number, null, number, number];

function snapshotNode(node: Node, pos: (offset: number) => Position, endOf: (node: Node) => Position): PositionSnapshot {
  const start = pos(rangeStart(node));
  const end = endOf(node);
  const out: PositionSnapshot = [start.line, start.column, end.line, end.column];
  if (isMap(node)) {
    const kids: { [key: string]: SnapshotPair } = {};
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (Object.hasOwn(kids, name)) continue; // the first pair wins, as in findNode
      const key = pos(rangeStart(pair.key as Node));
      if (isNode(pair.value)) kids[name] = [key.line, key.column, snapshotNode(pair.value, pos, endOf)];
      else {
        const keyEnd = endOf(pair.key as Node);
        kids[name] = [key.line, key.column, null, keyEnd.line, keyEnd.column];
      }
    }
    out.push(kids);
  } else if (isSeq(node)) {
    out.push(node.items.map((item) => (isNode(item) ? snapshotNode(item, pos, endOf) : null)));
  }
  return out;
}

/** A document answering position queries from its snapshot, as the parsed document it was taken from. */
export function documentFromSnapshot(data: unknown, root: PositionSnapshot): YamlDocument {
  const at = (n: PositionSnapshot): Position => ({ line: n[0], column: n[1] });
  const find = (path: readonly PathSegment[]): { node: PositionSnapshot; key?: Position; exact: boolean } => {
    let node = root;
    let key: Position | undefined;
    for (const segment of path) {
      const kids = node[4];
      if (kids && !Array.isArray(kids)) {
        const pair = Object.hasOwn(kids, String(segment)) ? kids[String(segment)] : undefined;
        if (!pair || !pair[2]) {
          if (pair) return { node: [pair[0], pair[1], pair[3]!, pair[4]!], key: { line: pair[0], column: pair[1] }, exact: true };
          return { node, exact: false };
        }
        key = { line: pair[0], column: pair[1] };
        node = pair[2];
      } else if (kids) {
        const item = kids[Number(segment)];
        if (!item) return { node, exact: false };
        key = undefined;
        node = item;
      } else {
        return { node, exact: false };
      }
    }
    return { node, key, exact: true };
  };
  return {
    data,
    start: at(root),
    positionOf: (path) => at(find(path).node),
    endOf: (path) => {
      const n = find(path).node;
      return { line: n[2], column: n[3] };
    },
    keyPositionOf: (path) => {
      const found = find(path);
      return found.key && found.exact ? found.key : at(found.node);
    },
    snapshot: () => root,
  };
}

function rangeStart(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

function findNode(root: Node, path: readonly PathSegment[]): { node: Node; key?: Node; exact: boolean } {
  let node: Node = root;
  let key: Node | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair || !isNode(pair.value)) {
        if (pair && isNode(pair.key)) return { node: pair.key, key: pair.key, exact: true };
        return { node, exact: false };
      }
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!isNode(item)) return { node, exact: false };
      key = undefined;
      node = item;
    } else {
      return { node, exact: false };
    }
  }
  return { node, key, exact: true };
}

function findComplexKey(node: unknown, depth = 0): Node | undefined {
  if (depth > yamlLimits.maxDepth) return undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isNode(pair.key) && !isScalar(pair.key)) return pair.key;
      const inner = findComplexKey(pair.value, depth + 1);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findComplexKey(item, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

function nodeDepth(node: unknown, depth: number): number {
  if (depth > yamlLimits.maxDepth) return depth;
  let max = depth;
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items as unknown[]) {
      const value = isPair(item) ? item.value : item;
      max = Math.max(max, nodeDepth(value, depth + 1));
      if (max > yamlLimits.maxDepth) break;
    }
  }
  return max;
}

/** The yaml package appends "at line X, column Y" and a code frame; positions are ours to print. */
function cleanMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '').trim();
}
