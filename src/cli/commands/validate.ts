import { formatJson, formatStylish } from '../../diagnostics/format.ts';
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { loadModel } from '../../load/load-model.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contentRoot, oneOf, parse } from '../args.ts';
import type { CommandIO } from '../io.ts';
import { readEvidence } from '../../evidence/read.ts';
import { sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.ts';

export const usage = 'usage: evident validate [--content DIR] [--format stylish|json] [--strict-evidence]';

export async function validate(args: string[], io: CommandIO): Promise<number> {
  const { values } = parse(args, { format: { type: 'string' }, 'strict-evidence': { type: 'boolean' } }, usage);
  const format = oneOf('format', values.format, ['stylish', 'json'], 'stylish', usage);
  const root = contentRoot(values, io);
  const { model } = await loadModel(root);
  let diagnostics: Diagnostic[] = [...model.diagnostics];
  if (values['strict-evidence']) {
    // Full schema validation is slow (see docs/performance.md): loaded only when asked for.
    const { validateEvidenceStrict } = await import('../../evidence/strict.ts');
    for (const item of model.evidence) {
      if (item.kind === 'file') continue;
      const bytes = await readFile(path.join(root, item.path));
      const problems = await validateEvidenceStrict(item.path, bytes, readEvidence(item.path, bytes));
      for (const p of problems) diagnostics.push({ file: item.path, ...(p.line ? { line: p.line, column: p.column ?? 1 } : {}), severity: p.severity, code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
    }
    diagnostics = sortDiagnostics(diagnostics);
  }
  // validate's result is its diagnostics: they go to stdout.
  io.stdout(format === 'json' ? formatJson(diagnostics) : formatStylish(diagnostics) || 'No problems found.\n');
  return hasErrors(diagnostics) ? 1 : 0;
}
