// One diagnostic shape for every problem in content (STYLE.md convention 1).
// Positions are 1-based and come from the parser, never from a text search.

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  /** Path relative to the content root, with forward slashes. */
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  code: string;
  message: string;
  hint?: string;
}

/** A position inside a file, as reported by a parser. */
export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    cmp(a.code, b.code) ||
    severityRank[a.severity] - severityRank[b.severity] ||
    cmp(a.message, b.message)
  );
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(compareDiagnostics);
}

/** `path:line:col: severity: message [code]`, or `path: severity: message [code]` without a position. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
  return `${where}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
