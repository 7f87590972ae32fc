// Proof Markdown → blocks of styled text runs for the packet. remark parses;
// nothing is ever interpreted as HTML: raw HTML is shown as the text it is.
import type { Nodes, Root, RootContent } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Run } from './layout.ts';

export interface MdBlock {
  kind: 'heading' | 'paragraph' | 'code' | 'rule';
  runs: Run[];
  /** Nesting depth of lists and quotes. */
  indent: number;
}

const parser = unified().use(remarkParse).use(remarkGfm);

// A proof body is shown under every control its requirement supports, in
// every packet: parse each body once. Bounded, for long-lived processes.
const parsed = new Map<string, readonly MdBlock[]>();
const parsedMax = 2000;

/** The blocks of a Markdown text; the result is shared between callers and must not be changed. */
export function markdownBlocks(markdown: string): readonly MdBlock[] {
  let out = parsed.get(markdown);
  if (!out) {
    const tree = parser.runSync(parser.parse(markdown)) as Root;
    const blocks: MdBlock[] = [];
    for (const node of tree.children) block(node, 0, blocks);
    if (parsed.size >= parsedMax) parsed.delete(parsed.keys().next().value!);
    parsed.set(markdown, (out = blocks));
  }
  return out;
}

/** The first blocks of a body, cut to about `maxChars` characters of text; `cut` says whether anything was left out. */
export function markdownExcerpt(markdown: string, maxChars: number): { blocks: MdBlock[]; cut: boolean } {
  const all = markdownBlocks(markdown);
  const blocks: MdBlock[] = [];
  let used = 0;
  for (const b of all) {
    const length = b.runs.reduce((n, r) => n + r.text.length, 0);
    if (used + length > maxChars) {
      const room = maxChars - used;
      if (room > 80 && b.kind !== 'rule') blocks.push({ ...b, runs: truncateRuns(b.runs, room) });
      return { blocks, cut: true };
    }
    blocks.push(b);
    used += length;
  }
  return { blocks, cut: false };
}

function truncateRuns(runs: Run[], max: number): Run[] {
  const out: Run[] = [];
  let left = max;
  for (const r of runs) {
    if (left <= 0) break;
    out.push(r.text.length > left ? { ...r, text: r.text.slice(0, left) + '…' } : r);
    left -= r.text.length;
  }
  return out;
}

function block(node: RootContent, indent: number, out: MdBlock[]): void {
  switch (node.type) {
    case 'heading':
      out.push({ kind: 'heading', runs: inline(node.children, 'bold'), indent });
      break;
    case 'paragraph':
      out.push({ kind: 'paragraph', runs: inline(node.children), indent });
      break;
    case 'code':
      out.push({ kind: 'code', runs: [{ text: node.value, font: 'mono' }], indent });
      break;
    case 'html':
      out.push({ kind: 'paragraph', runs: [{ text: node.value, font: 'mono' }], indent });
      break;
    case 'thematicBreak':
      out.push({ kind: 'rule', runs: [], indent });
      break;
    case 'blockquote':
      for (const child of node.children) block(child, indent + 1, out);
      break;
    case 'list': {
      let n = node.start ?? 1;
      for (const item of node.children) {
        const marker = item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : node.ordered ? `${n++}. ` : '• ';
        const start = out.length;
        for (const child of item.children) block(child, indent + 1, out);
        if (out.length > start && out[start].kind === 'paragraph') out[start].runs.unshift({ text: marker });
        else out.splice(start, 0, { kind: 'paragraph', runs: [{ text: marker.trim() }], indent: indent + 1 });
      }
      break;
    }
    case 'table':
      for (const row of node.children) {
        const runs: Run[] = [];
        row.children.forEach((cell, i) => {
          if (i) runs.push({ text: ' | ', font: 'regular' });
          runs.push(...inline(cell.children, row === node.children[0] ? 'bold' : undefined));
        });
        out.push({ kind: 'paragraph', runs, indent });
      }
      break;
    case 'definition':
    case 'footnoteDefinition':
    case 'yaml':
      break;
    default:
      if ('children' in node) for (const child of (node as { children: RootContent[] }).children) block(child, indent, out);
      else if ('value' in node) out.push({ kind: 'paragraph', runs: [{ text: String((node as { value: unknown }).value) }], indent });
  }
}

function inline(nodes: Nodes[], font?: Run['font']): Run[] {
  const runs: Run[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        runs.push({ text: node.value.replace(/\n/g, ' '), font });
        break;
      case 'strong':
        runs.push(...inline(node.children, 'bold'));
        break;
      case 'emphasis':
        runs.push(...inline(node.children, font === 'bold' ? 'bold' : 'italic'));
        break;
      case 'delete':
        runs.push(...inline(node.children, font));
        break;
      case 'inlineCode':
        runs.push({ text: node.value, font: 'mono' });
        break;
      case 'html':
        runs.push({ text: node.value, font: 'mono' });
        break;
      case 'break':
        runs.push({ text: '\n', font });
        break;
      case 'link': {
        const label = inline(node.children, font);
        runs.push(...label);
        const text = label.map((r) => r.text).join('');
        if (node.url && node.url !== text) runs.push({ text: ` <${node.url}>`, font: 'mono' });
        break;
      }
      case 'image':
        runs.push({ text: `[image: ${node.alt ?? node.url}]`, font: 'italic' });
        break;
      case 'linkReference':
      case 'imageReference':
        if ('children' in node) runs.push(...inline(node.children, font));
        else runs.push({ text: node.alt ?? '', font });
        break;
      case 'footnoteReference':
        runs.push({ text: `[${node.identifier}]`, font });
        break;
      default:
        if ('children' in node) runs.push(...inline((node as { children: Nodes[] }).children, font));
        else if ('value' in node) runs.push({ text: String((node as { value: unknown }).value), font });
    }
  }
  return runs;
}
