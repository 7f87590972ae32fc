// Proof bodies and descriptions: Markdown → sanitised HTML through unified
// (remark → rehype). Raw HTML in the Markdown is dropped (remark-rehype without
// allowDangerousHtml), then rehype-sanitize applies GitHub's schema, so a
// <script>, an onerror= attribute or a javascript: link renders inert.
import type { Element, Root as HastRoot } from 'hast';
import type { Image, Link, Parent, Root as MdastRoot, RootContent } from 'mdast';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

export interface MarkdownOptions {
  /** Added to every heading level, so a proof's `#` does not compete with the page's h1 (capped at h6). */
  headingOffset?: number;
  /** Prefix of the ids footnotes get; unique per rendered body so two bodies on one page do not clash. */
  idPrefix?: string;
  /**
   * What a relative link or image in the body points to in the portal (an
   * attachment that is offered for download, say); null: shown as plain text.
   * Absolute http(s) and mailto links are kept; remote images become links, so
   * the portal never loads anything from elsewhere.
   */
  resolveLink?: (url: string) => string | null;
}

const absolute = /^[a-z][a-z0-9+.-]*:/i;
const allowedAbsolute = /^(https?:|mailto:)/i;

/** Rewrites links and images in the Markdown tree before it becomes HTML. */
function rewriteLinks() {
  return (tree: MdastRoot) => {
    const options = current;
    const visit = (node: Parent) => {
      node.children = node.children.flatMap((child): RootContent[] => {
        if ('children' in child) visit(child as Parent);
        if (child.type === 'heading') child.depth = Math.min(6, child.depth + (options.headingOffset ?? 0)) as 1 | 2 | 3 | 4 | 5 | 6;
        if (child.type === 'listItem' && typeof child.checked === 'boolean') {
          // Task list boxes as text: a disabled checkbox without a label is noise to a screen reader.
          const mark = child.checked ? '[x] ' : '[ ] ';
          child.checked = null;
          const first = child.children[0];
          if (first?.type === 'paragraph') first.children.unshift({ type: 'text', value: mark });
          else child.children.unshift({ type: 'paragraph', children: [{ type: 'text', value: mark }] });
        }
        if (child.type === 'link') return rewriteLink(child, options);
        if (child.type === 'image') return rewriteImage(child, options);
        return [child];
      });
    };
    visit(tree);
  };
}

function target(url: string, options: MarkdownOptions): string | null {
  if (url.startsWith('#')) return null; // fragments of the proof's own document do not exist in the portal
  if (absolute.test(url)) return allowedAbsolute.test(url) ? url : null;
  if (url.startsWith('/') || url.startsWith('//')) return null;
  return options.resolveLink ? options.resolveLink(url) : null;
}

function rewriteLink(link: Link, options: MarkdownOptions): RootContent[] {
  const url = target(link.url, options);
  if (url === null) return link.children as RootContent[];
  return [{ ...link, url }];
}

function rewriteImage(image: Image, options: MarkdownOptions): RootContent[] {
  const url = target(image.url, options);
  const text = image.alt || image.url;
  if (url === null) return [{ type: 'text', value: text }];
  return [{ type: 'link', url, children: [{ type: 'text', value: text }] }];
}

/**
 * After sanitising: links that leave the portal get rel attributes (the
 * sanitiser would drop them), and the footnote label's fixed id gets the
 * body's prefix so two bodies on one page keep unique ids.
 */
function finish() {
  return (tree: HastRoot) => {
    const prefix = current.idPrefix ?? 'md-';
    const visit = (node: HastRoot | Element) => {
      for (const child of node.children) {
        if (child.type !== 'element') continue;
        const p = child.properties;
        if (child.tagName === 'a' && typeof p.href === 'string' && absolute.test(p.href)) p.rel = ['nofollow', 'noopener', 'noreferrer'];
        if (p.id === 'footnote-label') p.id = `${prefix}footnote-label`;
        if (p.ariaDescribedBy !== undefined) p.ariaDescribedBy = [`${prefix}footnote-label`];
        visit(child);
      }
    };
    visit(tree);
  };
}

const schema = {
  ...defaultSchema,
  // Ids only come from footnotes (raw HTML is dropped), and remark-rehype
  // already prefixes those with `idPrefix`; prefixing again would break their links.
  clobber: [],
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'], src: [] },
  tagNames: (defaultSchema.tagNames ?? []).filter((t) => t !== 'img' && t !== 'input'),
};

// One processor for every body: building and freezing it (remark-gfm's
// extensions above all) cost more than rendering a short proof. What differs
// per body is read at run time: `current` by rewriteLinks and finish, and
// remark-rehype spreads its options object into each run. processSync is
// synchronous, so no two renders interleave.
let current: MarkdownOptions = {};
const rehypeOptions = { clobberPrefix: 'md-', footnoteLabelTagName: 'p' };
let processor: ReturnType<typeof makeProcessor> | undefined;

function makeProcessor() {
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(rewriteLinks)
    .use(remarkRehype, rehypeOptions)
    .use(rehypeSanitize, schema)
    .use(finish)
    .use(rehypeStringify)
    .freeze();
}

/** Sanitised HTML for a Markdown text; safe to insert with set:html. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  processor ??= makeProcessor();
  current = options;
  rehypeOptions.clobberPrefix = options.idPrefix ?? 'md-';
  try {
    return String(processor.processSync(markdown)).trim();
  } finally {
    current = {};
  }
}

/** The text of rendered HTML, for search records and summaries. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
