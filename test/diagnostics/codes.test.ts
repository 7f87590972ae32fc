// Every code is in the catalog and documented; every code the source emits exists.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codes } from '../../src/diagnostics/codes.ts';
import { formatDiagnostic, sortDiagnostics } from '../../src/diagnostics/diagnostic.ts';
import { formatJson } from '../../src/diagnostics/format.ts';
import { repoRoot } from '../helpers.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('diagnostic codes', () => {
  it('every code emitted in src is in the catalog', () => {
    const used = new Set<string>();
    for (const f of sourceFiles(path.join(repoRoot, 'src'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/code: '([a-z0-9-]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((c) => !(c in codes))).toEqual([]);
  });

  it('every catalog code has a documentation entry', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/diagnostics.md'), 'utf8');
    expect(Object.keys(codes).filter((c) => !doc.includes(`## ${c}\n`))).toEqual([]);
  });

  it('formats like a compiler and sorts by file, line, column, code', () => {
    const list = sortDiagnostics([
      { file: 'b.yaml', line: 1, column: 1, severity: 'error', code: 'yaml-syntax', message: 'm' },
      { file: 'a.yaml', line: 3, column: 2, severity: 'warning', code: 'schema-unknown-field', message: 'Unknown field "x".' },
      { file: 'a.yaml', line: 3, column: 1, severity: 'error', code: 'schema-invalid', message: 'm' },
      { file: 'a.yaml', severity: 'warning', code: 'file-empty', message: 'Empty.' },
    ]);
    expect(list.map(formatDiagnostic)).toEqual([
      'a.yaml: warning: Empty. [file-empty]',
      'a.yaml:3:1: error: m [schema-invalid]',
      'a.yaml:3:2: warning: Unknown field "x". [schema-unknown-field]',
      'b.yaml:1:1: error: m [yaml-syntax]',
    ]);
    expect(JSON.parse(formatJson(list)).diagnostics[0]).toEqual({ file: 'a.yaml', line: null, column: null, severity: 'warning', code: 'file-empty', message: 'Empty.', hint: null });
  });
});
