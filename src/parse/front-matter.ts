// Markdown with YAML front matter → front matter data (with positions) + body.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { parseYaml, type YamlDocument } from './yaml.ts';

export interface FrontMatterResult {
  /** undefined when the file has no front matter block. */
  frontMatter?: YamlDocument;
  body: string;
  diagnostics: Diagnostic[];
}

const fence = /^---[ \t]*\r?$/;

export function parseFrontMatter(text: string, file: string): FrontMatterResult {
  const lines = text.split('\n');
  if (lines.length === 0 || !fence.test(lines[0])) return { body: text, diagnostics: [] };
  const end = lines.findIndex((line, i) => i > 0 && (fence.test(line) || /^\.\.\.[ \t]*\r?$/.test(line)));
  if (end < 0) {
    return {
      body: text,
      diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'front-matter-syntax', message: 'Front matter starts with --- but is never closed by a --- line.' }],
    };
  }
  const yamlText = lines.slice(1, end).join('\n');
  const body = lines.slice(end + 1).join('\n');
  const parsed = parseYaml(yamlText, file, 1);
  const diagnostics = parsed.diagnostics.map((d) => (d.code === 'yaml-syntax' ? { ...d, code: 'front-matter-syntax' } : d));
  return { frontMatter: parsed.documents[0], body, diagnostics };
}
