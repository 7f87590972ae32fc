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
    documents.push({
      data,
      start: pos(rangeStart(root)),
      positionOf: (path) => pos(rangeStart(findNode(root, path).node)),
      endOf: (path) => {
        const node = findNode(root, path).node;
        return pos(Math.max(rangeStart(node), (node.range?.[1] ?? 1) - 1));
      },
      keyPositionOf: (path) => {
        const found = findNode(root, path);
        return pos(found.key && found.exact ? rangeStart(found.key) : rangeStart(found.node));
      },
    });
  }
  return { documents, diagnostics };
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
