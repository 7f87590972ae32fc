// `frameworks`, `requirements`, `policies`: list, or show one.
import { stringify } from 'yaml';
import { loadModel } from '../../load/load-model.ts';
import { builtinPolicies, canonicalPolicyName } from '../../policies/index.ts';
import { frameworkToResource, requirementToResource } from '../../model/to-resource.ts';
import { crosswalk, crosswalkCsv } from '../../catalogs/crosswalk.ts';
import { contentRoot, oneOf, parse } from '../args.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { table } from '../table.ts';
import { didYouMean } from '../../model/suggest.ts';
import { formatStylish } from '../../diagnostics/format.ts';
import { csv } from '../../export/csv.ts';

export const frameworksUsage = 'usage: evident frameworks [name] [--crosswalk OTHER] [--format table|yaml|json|csv] [--content DIR]';
export const requirementsUsage = 'usage: evident requirements [name] [--format table|yaml|json] [--content DIR]';
export const policiesUsage = 'usage: evident policies [name] [--format table|yaml|json] [--content DIR]';

const dump = (value: unknown) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

export async function frameworks(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' }, crosswalk: { type: 'string' } }, frameworksUsage, { min: 0, max: 1 });
  const format = oneOf('format', values.format, ['table', 'yaml', 'json', 'csv'], 'table', frameworksUsage);
  const { model } = await loadModel(contentRoot(values, io));
  reportProblems(model.diagnostics, io);
  const [name] = positionals;
  if (values.crosswalk && !name) throw new UsageError('--crosswalk needs a framework name', frameworksUsage);
  if (name && !(name in model.frameworks)) throw new UsageError(`unknown framework "${name}".${didYouMean(name, Object.keys(model.frameworks))}`, frameworksUsage);
  if (!name) {
    const rows = Object.values(model.frameworks).map((f) => ({ name: f.metadata.name, displayName: f.metadata.displayName ?? '', controls: f.controls.length, requirements: new Set(f.controls.flatMap((c) => c.requirements.map((r) => r.ref))).size, source: f.builtin ? 'built-in' : f.source.file }));
    if (format === 'json') io.stdout(JSON.stringify({ frameworks: rows }, null, 2) + '\n');
    else if (format === 'yaml') io.stdout(dump({ frameworks: rows }));
    else if (format === 'csv') io.stdout(csv(['name', 'displayName', 'controls', 'requirements', 'source'], rows.map((r) => [r.name, r.displayName, r.controls, r.requirements, r.source])));
    else io.stdout(table(['NAME', 'CONTROLS', 'REQUIREMENTS', 'SOURCE', 'TITLE'], rows.map((r) => [r.name, r.controls, r.requirements, r.source, r.displayName])));
    return 0;
  }
  const fw = model.frameworks[name];
  if (values.crosswalk) {
    const other = values.crosswalk as string;
    if (!(other in model.frameworks)) throw new UsageError(`unknown framework "${other}" for --crosswalk.${didYouMean(other, Object.keys(model.frameworks))}`, frameworksUsage);
    const rows = crosswalk(fw, model.frameworks[other]);
    if (format === 'json') io.stdout(JSON.stringify({ from: name, to: other, mappings: rows }, null, 2) + '\n');
    else if (format === 'csv') io.stdout(crosswalkCsv(rows));
    else if (format === 'yaml') io.stdout(dump({ from: name, to: other, mappings: rows }));
    else io.stdout(table([name.toUpperCase(), other.toUpperCase(), 'STRENGTH', 'SHARED REQUIREMENTS'], rows.map((r) => [r.control, r.other, r.strength, r.requirements.join(', ')])));
    return 0;
  }
  if (format === 'yaml') io.stdout(dump(frameworkToResource(fw)));
  else if (format === 'json') io.stdout(JSON.stringify(frameworkToResource(fw), null, 2) + '\n');
  else if (format === 'csv')
    io.stdout(csv(['control', 'name', 'section', 'requirement', 'relationship', 'rationale'], fw.controls.flatMap((c) => c.requirements.map((r) => [c.id, c.name, c.path.join(' / '), r.ref, r.relationship, r.rationale ?? '']))));
  else {
    io.stdout(`${fw.metadata.displayName ?? fw.metadata.name} (${fw.controls.length} controls)\n\n`);
    io.stdout(table(['CONTROL', 'NAME', 'REQUIREMENTS'], fw.controls.map((c) => [c.id, c.name, c.requirements.map((r) => `${r.ref} (${r.relationship})`).join(', ')])));
  }
  return 0;
}

export async function requirements(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' } }, requirementsUsage, { min: 0, max: 1 });
  const format = oneOf('format', values.format, ['table', 'yaml', 'json'], 'table', requirementsUsage);
  const { model } = await loadModel(contentRoot(values, io));
  reportProblems(model.diagnostics, io);
  const [name] = positionals;
  if (name) {
    const req = model.requirements[name];
    if (!req) throw new UsageError(`unknown requirement "${name}".${didYouMean(name, Object.keys(model.requirements))}`, requirementsUsage);
    const resource = requirementToResource(req);
    const usedBy = Object.values(model.frameworks).flatMap((f) => f.controls.filter((c) => c.requirements.some((r) => r.ref === name)).map((c) => `${f.metadata.name}/${c.id}`));
    if (format === 'json') io.stdout(JSON.stringify({ ...resource, controls: usedBy }, null, 2) + '\n');
    else if (format === 'yaml') io.stdout(dump(resource));
    else {
      io.stdout(`${req.metadata.displayName ?? name} [${name}] scope ${req.scope}${req.active ? '' : ' INACTIVE'}\n`);
      if (req.metadata.description) io.stdout(`\n${req.metadata.description.trim()}\n`);
      io.stdout('\n' + table(['PART', 'KIND', 'PARAMETERS', 'PERIODICITY', 'SLA'], [
        ...req.policies.map((p) => [canonicalPolicyName(p.ref) ?? p.ref, 'policy', JSON.stringify(p.with), p.periodicity?.text ?? '-', p.sla !== undefined ? `${p.sla} h` : '-']),
        ...req.manualProofs.map((m) => [m.name, m.optional ? 'proof (optional)' : 'proof', '-', m.periodicity?.text ?? '-', '-']),
      ]));
      io.stdout(`\nControls: ${usedBy.join(', ') || 'none'}\n`);
    }
    return 0;
  }
  const canonical = (ref: string) => (ref in model.policies ? ref : (canonicalPolicyName(ref) ?? ref)); // aliases show under their canonical name
  const rows = Object.values(model.requirements).map((r) => ({ name: r.metadata.name, displayName: r.metadata.displayName ?? '', scope: r.scope, active: r.active, policies: r.policies.map((p) => canonical(p.ref)), proofs: r.manualProofs.map((m) => m.name), source: r.builtin ? 'built-in' : r.source.file }));
  if (format === 'json') io.stdout(JSON.stringify({ requirements: rows }, null, 2) + '\n');
  else if (format === 'yaml') io.stdout(dump({ requirements: rows }));
  else io.stdout(table(['NAME', 'SCOPE', 'POLICIES', 'PROOFS', 'SOURCE'], rows.map((r) => [r.name, r.scope + (r.active ? '' : ' (inactive)'), r.policies.join(', ') || '-', r.proofs.join(', ') || '-', r.source])));
  return 0;
}

export async function policies(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' } }, policiesUsage, { min: 0, max: 1 });
  const format = oneOf('format', values.format, ['table', 'yaml', 'json'], 'table', policiesUsage);
  const { model } = await loadModel(contentRoot(values, io));
  reportProblems(model.diagnostics, io);
  const describe = (name: string) => {
    const custom = model.policies[name];
    if (custom) return { name, source: custom.source.file, title: custom.metadata.displayName ?? name, description: custom.metadata.description ?? '', primary: custom.kinds, supporting: [], parameters: custom.parameters, violations: custom.violations };
    const p = builtinPolicies[name];
    return { name, aliases: p.meta.aliases ?? [], source: 'built-in', title: p.meta.title, description: p.meta.description, primary: p.meta.primary, supporting: p.meta.supporting ?? [], parameters: p.meta.parameters };
  };
  const names = [...new Set([...Object.keys(builtinPolicies), ...Object.keys(model.policies)])].sort();
  const [asked] = positionals;
  if (asked) {
    const name = asked in model.policies ? asked : canonicalPolicyName(asked);
    if (!name) throw new UsageError(`unknown policy "${asked}".${didYouMean(asked, names)}`, policiesUsage);
    const d = describe(name);
    if (format === 'json') io.stdout(JSON.stringify(d, null, 2) + '\n');
    else if (format === 'yaml') io.stdout(dump(d));
    else io.stdout(`${d.title} [${d.name}]${'aliases' in d && d.aliases?.length ? ` (alias ${d.aliases.join(', ')})` : ''}\n\n${d.description}\n\nReads: ${d.primary.join(', ')}${d.supporting.length ? ` (+ ${d.supporting.join(', ')})` : ''}\nParameters (JSON Schema):\n${dump(d.parameters)}`);
    return 0;
  }
  const rows = names.map(describe);
  if (format === 'json') io.stdout(JSON.stringify({ policies: rows }, null, 2) + '\n');
  else if (format === 'yaml') io.stdout(dump({ policies: rows }));
  else io.stdout(table(['NAME', 'READS', 'SOURCE', 'TITLE'], rows.map((r) => [r.name + ('aliases' in r && r.aliases?.length ? ` (${r.aliases.join(', ')})` : ''), r.primary.join(', '), r.source, r.title])));
  return 0;
}

/** Content problems go to stderr for commands other than validate; errors do not stop a listing. */
export function reportProblems(diagnostics: readonly import('../../diagnostics/diagnostic.ts').Diagnostic[], io: CommandIO): void {
  const shown = diagnostics.filter((d) => d.severity !== 'note');
  if (shown.length) io.stderr(formatStylish(shown));
}
