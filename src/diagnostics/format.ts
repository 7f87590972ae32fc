import { formatDiagnostic, type Diagnostic } from './diagnostic.ts';

/** The compiler-like text format, one line per diagnostic plus an indented hint. */
export function formatStylish(list: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const d of list) {
    lines.push(formatDiagnostic(d));
    if (d.hint) lines.push(`  hint: ${d.hint}`);
  }
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  const notes = list.length - errors - warnings;
  if (list.length > 0) lines.push(`${errors} error(s), ${warnings} warning(s), ${notes} note(s)`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The JSON shape of SPEC section 10: every key present, absent values as null. */
export function formatJson(list: readonly Diagnostic[]): string {
  return (
    JSON.stringify(
      {
        diagnostics: list.map((d) => ({
          file: d.file,
          line: d.line ?? null,
          column: d.column ?? null,
          ...(d.endLine ? { endLine: d.endLine, endColumn: d.endColumn ?? null } : {}),
          severity: d.severity,
          code: d.code,
          message: d.message,
          hint: d.hint ?? null,
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
