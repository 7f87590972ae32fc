// Checks the built-in catalogs (src/catalogs) as data: complete control lists
// with official identifiers, every control mapped with a relationship and a
// rationale, every mapping resolving to the requirement library, and every
// requirement backed by a built-in policy or a manual proof.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const root = new URL('../../src/catalogs/', import.meta.url);
const chainloopFramework = new URL('../../../shared/corpus/chainloop/docs-framework-my-best-practices.yaml', import.meta.url);

type Ref = { ref: string; relationship?: string; rationale?: string };
type Section = { id?: string; name: string; description?: string; tags?: string[]; requirements?: Ref[]; sections?: Section[] };
type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; displayName?: string; description?: string; annotations?: Record<string, unknown> };
  spec: Record<string, any>;
};

function readDocs(file: URL): Doc[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out: Doc[] = [];
  for (const d of docs) {
    if ('errors' in d && d.errors.length > 0) throw new Error(`${file.pathname}: ${d.errors[0].message}`);
    const js = d.toJS();
    if (js !== null && js !== undefined) out.push(js as Doc);
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(new URL(`${dir}/`, root)).filter((f) => f.endsWith('.yaml')).sort();
}

const frameworkFiles = yamlFiles('frameworks');
const frameworks = new Map<string, { file: string; doc: Doc }>();
for (const file of frameworkFiles) {
  const docs = readDocs(new URL(`frameworks/${file}`, root));
  if (docs.length !== 1) throw new Error(`frameworks/${file}: expected one document, found ${docs.length}`);
  frameworks.set(docs[0].metadata.name, { file, doc: docs[0] });
}

const requirementDocs: { file: string; doc: Doc }[] = [];
for (const file of yamlFiles('requirements')) {
  for (const doc of readDocs(new URL(`requirements/${file}`, root))) requirementDocs.push({ file, doc });
}
const library = new Map(requirementDocs.map(({ doc }) => [doc.metadata.name, doc]));

/** Controls are sections that list requirements directly; groups only hold sections. */
function walk(sections: Section[] = [], into: { controls: Section[]; groups: Section[] } = { controls: [], groups: [] }) {
  for (const s of sections) {
    if (s.requirements !== undefined) into.controls.push(s);
    else into.groups.push(s);
    walk(s.sections, into);
  }
  return into;
}
const controlsOf = (name: string) => walk(frameworks.get(name)!.doc.spec.sections).controls;
const idsOf = (name: string) => controlsOf(name).map((c) => c.id ?? '');

/** ['CC1.1', …, 'CC1.5'] from ('CC1.', 1, 5). */
const seq = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
const letters = (prefix: string, from: string, to: string) =>
  Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => prefix + String.fromCharCode(from.charCodeAt(0) + i));

const expectedIds: Record<string, string[]> = {
  soc2: [
    ...seq('CC1.', 1, 5), ...seq('CC2.', 1, 3), ...seq('CC3.', 1, 4), ...seq('CC4.', 1, 2), ...seq('CC5.', 1, 3),
    ...seq('CC6.', 1, 8), ...seq('CC7.', 1, 5), 'CC8.1', ...seq('CC9.', 1, 2),
    ...seq('A1.', 1, 3), ...seq('C1.', 1, 2), ...seq('PI1.', 1, 5),
    'P1.1', 'P2.1', ...seq('P3.', 1, 2), ...seq('P4.', 1, 3), ...seq('P5.', 1, 2), ...seq('P6.', 1, 7), 'P7.1', 'P8.1',
  ],
  'iso27001-2022': [...seq('A.5.', 1, 37), ...seq('A.6.', 1, 8), ...seq('A.7.', 1, 14), ...seq('A.8.', 1, 34)],
  ssdf: [
    ...seq('PO.1.', 1, 3), ...seq('PO.2.', 1, 3), ...seq('PO.3.', 1, 3), ...seq('PO.4.', 1, 2), ...seq('PO.5.', 1, 2),
    'PS.1.1', 'PS.2.1', ...seq('PS.3.', 1, 2),
    ...seq('PW.1.', 1, 3), 'PW.2.1', 'PW.4.1', 'PW.4.2', 'PW.4.4', 'PW.5.1', ...seq('PW.6.', 1, 2), ...seq('PW.7.', 1, 2),
    ...seq('PW.8.', 1, 2), ...seq('PW.9.', 1, 2),
    ...seq('RV.1.', 1, 3), ...seq('RV.2.', 1, 2), ...seq('RV.3.', 1, 4),
  ],
  slsa: [
    'producer.choose-platform', 'producer.consistent-build', 'producer.distribute-provenance',
    'build-platform.provenance-exists', 'build-platform.provenance-authentic', 'build-platform.provenance-unforgeable',
    'build-platform.hosted', 'build-platform.isolated',
  ],
  cra: ['AI.P1.1', ...letters('AI.P1.2', 'a', 'm'), ...seq('AI.P2.', 1, 8), ...seq('Art14.', 1, 8)],
};

const expectedCounts: Record<string, number> = {
  soc2: 61, 'iso27001-2022': 93, ssdf: 42, slsa: 8, 'slsa-source': 14, cra: 30,
};

const idFormats: Record<string, RegExp> = {
  soc2: /^(CC[1-9]\.[1-8]|A1\.[1-3]|C1\.[12]|PI1\.[1-5]|P[1-8]\.[1-7])$/,
  'iso27001-2022': /^A\.(5\.([1-9]|[12]\d|3[0-7])|6\.[1-8]|7\.([1-9]|1[0-4])|8\.([1-9]|[12]\d|3[0-4]))$/,
  ssdf: /^(PO|PS|PW|RV)\.[1-9]\.[1-9]$/,
  slsa: /^(producer|build-platform)\.[a-z]+(-[a-z]+)*$/,
  'slsa-source': /^(organization|scs)\.[a-z]+(-[a-z]+)*$/,
  cra: /^(AI\.P1\.1|AI\.P1\.2[a-m]|AI\.P2\.[1-8]|Art14\.[1-8])$/,
  'best-practices': /^BP-[1-9]\d*$/,
};

const builtinPolicies = new Set([
  'sbom-present', 'sbom-ntia-minimum', 'sbom-banned-licenses', 'vulnerabilities', 'cves-in-kev',
  'vulnerability-remediation-sla', 'artifact-signed', 'container-signed', 'slsa-provenance', 'sarif-findings',
  'tests-passed', 'scorecard', 'secrets-scan', 'branch-protection', 'commits-signed',
]);
/** Parameters each built-in policy accepts (SPEC section 4). */
const policyParams: Record<string, string[]> = {
  'sbom-present': ['format'], 'sbom-ntia-minimum': ['requireSupplier'], 'sbom-banned-licenses': ['licenses'],
  vulnerabilities: ['severity', 'unknownAs'], 'cves-in-kev': [], 'vulnerability-remediation-sla': ['days'],
  'artifact-signed': ['publicKey', 'trustedRoot'], 'container-signed': ['publicKey', 'trustedRoot'],
  'slsa-provenance': ['level', 'builders'], 'sarif-findings': ['level', 'max'], 'tests-passed': ['min'],
  scorecard: ['min', 'checks'], 'secrets-scan': [], 'branch-protection': ['reviews', 'enforceAdmins'], 'commits-signed': ['since'],
};

const nameRe = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const relationships = ['equal', 'subset', 'superset', 'intersects'];
const periodicityRe = /^(hourly|daily|weekly|biweekly|monthly|quarterly|yearly|P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?)$/;
const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

describe('framework catalogs', () => {
  it('ships exactly the seven built-in frameworks, one file each, named after the file', () => {
    expect([...frameworks.keys()].sort()).toEqual(
      ['best-practices', 'cra', 'iso27001-2022', 'slsa', 'slsa-source', 'soc2', 'ssdf'],
    );
    for (const [name, { file, doc }] of frameworks) {
      expect(file).toBe(`${name}.yaml`);
      expect(doc.apiVersion).toBe('evident/v1');
      expect(doc.kind).toBe('Framework');
      expect(doc.metadata.displayName, name).toBeTypeOf('string');
      expect(doc.metadata.description, name).toMatch(/\S{3,}/);
      for (const key of ['source', 'url', 'license']) {
        expect(doc.metadata.annotations?.[key], `${name} annotation ${key}`).toBeTypeOf('string');
        expect(String(doc.metadata.annotations?.[key]).length, `${name} annotation ${key}`).toBeGreaterThan(5);
      }
      expect(String(doc.metadata.annotations?.url), name).toMatch(/^https:\/\//);
      expect(doc.spec.requirements, `${name} must not use spec.requirements`).toBeUndefined();
    }
  });

  it.each(Object.entries(expectedCounts))('%s has exactly %i controls', (name, count) => {
    expect(controlsOf(name)).toHaveLength(count);
  });

  it.each(Object.entries(expectedIds))('%s has exactly the official control identifiers', (name, ids) => {
    expect(idsOf(name)).toEqual(ids);
  });

  it.each(Object.entries(idFormats))('%s control ids match the official format', (name, re) => {
    const bad = idsOf(name).filter((id) => !re.test(id));
    expect(bad).toEqual([]);
  });

  it.each([...frameworks.keys()])('%s control ids are unique', (name) => {
    const ids = idsOf(name);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });

  it.each([...frameworks.keys()])('%s: every control maps to a library requirement with a relationship and a rationale', (name) => {
    const problems: string[] = [];
    for (const c of controlsOf(name)) {
      if (!c.id) problems.push(`${c.name}: no id`);
      if (!c.name?.trim()) problems.push(`${c.id}: no name`);
      if (!c.requirements?.length) problems.push(`${c.id}: no requirements`);
      if (c.sections?.length) problems.push(`${c.id}: a control must not hold subsections`);
      const refs = (c.requirements ?? []).map((r) => r.ref);
      if (new Set(refs).size !== refs.length) problems.push(`${c.id}: a requirement is listed twice`);
      for (const r of c.requirements ?? []) {
        if (!library.has(r.ref)) problems.push(`${c.id}: unknown requirement ${r.ref}`);
        if (!relationships.includes(r.relationship ?? '')) problems.push(`${c.id}/${r.ref}: relationship ${r.relationship}`);
        if (typeof r.rationale !== 'string' || r.rationale.trim().length < 10) problems.push(`${c.id}/${r.ref}: no rationale`);
        else if (r.rationale.includes('\n')) problems.push(`${c.id}/${r.ref}: rationale must be one line`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each([...frameworks.keys()])('%s: grouping sections hold no requirements and have ids', (name) => {
    const { groups } = walk(frameworks.get(name)!.doc.spec.sections);
    for (const g of groups) {
      expect(g.sections?.length, `${name}/${g.name} is neither control nor group`).toBeGreaterThan(0);
      expect(g.id, `${name}/${g.name}`).toBeTruthy();
    }
  });

  it('groups SOC 2, ISO, SSDF and the CRA as their documents do', () => {
    const top = (name: string) => (frameworks.get(name)!.doc.spec.sections as Section[]).map((s) => s.id);
    expect(top('soc2')).toEqual(['CC', 'A', 'C', 'PI', 'P']);
    expect((frameworks.get('soc2')!.doc.spec.sections[0] as Section).sections!.map((s) => s.id)).toEqual(seq('CC', 1, 9));
    expect(top('iso27001-2022')).toEqual(['A.5', 'A.6', 'A.7', 'A.8']);
    expect(top('ssdf')).toEqual(['PO', 'PS', 'PW', 'RV']);
    const practices = walk(frameworks.get('ssdf')!.doc.spec.sections).groups.filter((g) => /^[A-Z]{2}\.\d$/.test(g.id ?? ''));
    expect(practices.map((p) => p.id)).toEqual([
      ...seq('PO.', 1, 5), ...seq('PS.', 1, 3), 'PW.1', 'PW.2', 'PW.4', 'PW.5', 'PW.6', 'PW.7', 'PW.8', 'PW.9', ...seq('RV.', 1, 3),
    ]);
    for (const p of practices) for (const t of p.sections ?? []) expect(t.id?.startsWith(`${p.id}.`), `${t.id} under ${p.id}`).toBe(true);
    expect(top('cra')).toEqual(['AI.P1', 'AI.P2', 'Art14']);
    const bp = (frameworks.get('best-practices')!.doc.spec.sections as Section[]).map((s) => s.name);
    expect(bp).toEqual(expect.arrayContaining(['Source Code', 'Artifacts', 'Vulnerability Management']));
  });

  it('tags SLSA requirements with the levels that ask for them', () => {
    const tags = (name: string): Record<string, string[] | undefined> =>
      Object.fromEntries(controlsOf(name).map((c) => [c.id ?? '', c.tags]));
    expect(tags('slsa')).toEqual({
      'producer.choose-platform': ['L1', 'L2', 'L3'],
      'producer.consistent-build': ['L1', 'L2', 'L3'],
      'producer.distribute-provenance': ['L1', 'L2', 'L3'],
      'build-platform.provenance-exists': ['L1', 'L2', 'L3'],
      'build-platform.provenance-authentic': ['L2', 'L3'],
      'build-platform.provenance-unforgeable': ['L3'],
      'build-platform.hosted': ['L2', 'L3'],
      'build-platform.isolated': ['L3'],
    });
    const source = tags('slsa-source');
    for (const [id, t] of Object.entries(source)) {
      expect(t?.length, id).toBeGreaterThan(0);
      // A requirement asked at level n is asked at every higher level.
      const levels = (t ?? []).map((l) => Number(l.slice(1)));
      expect(levels, id).toEqual(Array.from({ length: 5 - levels[0] }, (_, i) => levels[0] + i));
    }
    expect(source['scs.two-party-review']).toEqual(['L4']);
    expect(Object.values(source).filter((t) => t?.[0] === 'L1').length).toBeGreaterThan(0);
  });

  it('keeps the practitioner cross-framework mappings', () => {
    const maps = (fw: string, control: string, ref: string) =>
      controlsOf(fw).find((c) => c.id === control)?.requirements?.some((r) => r.ref === ref) ?? false;
    const cases: [string, string, string[]][] = [
      // SBOM
      ['soc2', 'CC3.2', ['sbom-per-release', 'sbom-compliance']],
      ['iso27001-2022', 'A.8.28', ['sbom-per-release', 'sbom-compliance']],
      ['ssdf', 'PS.3.2', ['sbom-per-release', 'sbom-compliance']],
      ['cra', 'AI.P2.1', ['sbom-per-release', 'sbom-compliance']],
      // signatures
      ['soc2', 'CC8.1', ['container-signed', 'signed-releases']],
      ['iso27001-2022', 'A.8.25', ['container-signed', 'signed-releases']],
      ['ssdf', 'PS.2.1', ['container-signed', 'signed-releases']],
      // provenance
      ['soc2', 'CC8.1', ['slsa-provenance-l1', 'slsa-provenance-l2', 'slsa-provenance-l3']],
      ['iso27001-2022', 'A.8.25', ['slsa-provenance-l1', 'slsa-provenance-l2', 'slsa-provenance-l3']],
      ['ssdf', 'PS.3.1', ['slsa-provenance-l1', 'slsa-provenance-l2', 'slsa-provenance-l3']],
      ['slsa', 'build-platform.provenance-exists', ['slsa-provenance-l1']],
      ['slsa', 'build-platform.provenance-authentic', ['slsa-provenance-l2']],
      ['slsa', 'build-platform.provenance-unforgeable', ['slsa-provenance-l3']],
      // vulnerability scanning
      ['soc2', 'CC7.1', ['no-vulnerabilities-high']],
      ['iso27001-2022', 'A.8.8', ['no-vulnerabilities-high']],
      ['ssdf', 'RV.1.1', ['no-vulnerabilities-high']],
      ['cra', 'AI.P1.2a', ['no-vulnerabilities-high']],
      // CRA reporting
      ['cra', 'Art14.1', ['actively-exploited-vuln-reporting']],
    ];
    const missing = cases.filter(([fw, id, refs]) => !refs.some((r) => maps(fw, id, r))).map(([fw, id, refs]) => `${fw}/${id} -> ${refs.join('|')}`);
    expect(missing).toEqual([]);
  });

  it('maps each best-practices control fully (equal or superset) to a requirement', () => {
    const partial = controlsOf('best-practices')
      .filter((c) => !c.requirements!.some((r) => r.relationship === 'equal' || r.relationship === 'superset'))
      .map((c) => c.id);
    expect(partial).toEqual([]);
  });
});

describe('requirement library', () => {
  it('has a sensible size and unique, well-formed names', () => {
    const names = requirementDocs.map(({ doc }) => doc.metadata.name);
    expect(names.length).toBeGreaterThanOrEqual(50);
    expect(names.length).toBeLessThanOrEqual(90);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(names.filter((n) => !nameRe.test(n))).toEqual([]);
    for (const name of frameworks.keys()) expect(nameRe.test(name), name).toBe(true);
  });

  it('holds only evident/v1 Requirement documents with a display name, description and annotations', () => {
    for (const { file, doc } of requirementDocs) {
      const where = `${file}: ${doc.metadata?.name}`;
      expect(doc.apiVersion, where).toBe('evident/v1');
      expect(doc.kind, where).toBe('Requirement');
      expect(doc.metadata.displayName, where).toBeTypeOf('string');
      expect(doc.metadata.description?.trim().length, where).toBeGreaterThan(40);
      expect(doc.metadata.annotations?.categories, where).toBeTypeOf('string');
      expect(['PROJECT', 'PRODUCT'], where).toContain(doc.metadata.annotations?.scope);
    }
  });

  it('gives every requirement at least one policy or non-optional manual proof', () => {
    const empty = requirementDocs
      .filter(({ doc }) => (doc.spec.policies ?? []).length === 0 && (doc.spec.manual_proofs ?? []).filter((p: any) => !p.optional).length === 0)
      .map(({ doc }) => doc.metadata.name);
    expect(empty).toEqual([]);
  });

  it('refers only to built-in policies, with parameters they accept', () => {
    const problems: string[] = [];
    for (const { doc } of requirementDocs) {
      for (const p of doc.spec.policies ?? []) {
        const where = `${doc.metadata.name}/${p.ref}`;
        if (!builtinPolicies.has(p.ref)) { problems.push(`${where}: not a built-in policy`); continue; }
        for (const key of Object.keys(p.with ?? {})) if (!policyParams[p.ref].includes(key)) problems.push(`${where}: unknown parameter ${key}`);
        if (p.periodicity !== undefined && !periodicityRe.test(p.periodicity)) problems.push(`${where}: periodicity ${p.periodicity}`);
        if (p.sla !== undefined && !(typeof p.sla === 'number' && p.sla >= 0)) problems.push(`${where}: sla ${p.sla}`);
        if (p.ref === 'vulnerabilities' && !severities.includes(p.with?.severity ?? 'HIGH')) problems.push(`${where}: severity`);
        if (p.ref === 'slsa-provenance' && ![1, 2, 3].includes(p.with?.level ?? 1)) problems.push(`${where}: level`);
        if (p.ref === 'sarif-findings' && !['error', 'warning', 'note'].includes(p.with?.level ?? 'error')) problems.push(`${where}: level`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes every manual proof precisely, with a valid name and periodicity', () => {
    const problems: string[] = [];
    for (const { doc } of requirementDocs) {
      const proofs = doc.spec.manual_proofs ?? [];
      const names = proofs.map((p: any) => p.name);
      if (new Set(names).size !== names.length) problems.push(`${doc.metadata.name}: duplicate proof names`);
      for (const p of proofs) {
        const where = `${doc.metadata.name}/${p.name}`;
        if (!nameRe.test(p.name ?? '')) problems.push(`${where}: name`);
        if (typeof p.description !== 'string' || p.description.length < 60) problems.push(`${where}: description too short to tell an auditor what to expect`);
        if (p.periodicity === undefined || !periodicityRe.test(p.periodicity)) problems.push(`${where}: periodicity ${p.periodicity}`);
        if (typeof p.optional !== 'boolean') problems.push(`${where}: optional must be a boolean`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('contains the requirements named by Chainloop and by the SPEC, with the expected policies', () => {
    const policiesOf = (name: string) => (library.get(name)?.spec.policies ?? []).map((p: any) => p.ref).sort();
    expect(policiesOf('no-vulnerabilities-high')).toEqual(['cves-in-kev', 'vulnerabilities']);
    expect(library.get('no-vulnerabilities-high')!.spec.policies.find((p: any) => p.ref === 'vulnerabilities').with.severity).toBe('HIGH');
    expect(policiesOf('container-signed')).toEqual(['container-signed']);
    expect(policiesOf('branch-protection')).toEqual(['branch-protection']);
    expect(policiesOf('commits-signed-required')).toEqual(['commits-signed']);
    expect(policiesOf('sbom-compliance')).toEqual(['sbom-banned-licenses', 'sbom-ntia-minimum', 'sbom-present']);
    const review = library.get('code-review')!;
    const reviewPolicy = (review.spec.policies ?? []).find((p: any) => p.ref === 'branch-protection');
    expect(reviewPolicy?.with?.reviews ?? 0).toBeGreaterThanOrEqual(1);
    expect(library.get('vulnerability-remediation-sla')!.spec.policies[0].with.days).toEqual({ CRITICAL: 7, HIGH: 14, MEDIUM: 14, LOW: 14 });
    for (const [name, level] of [['slsa-provenance-l1', 1], ['slsa-provenance-l2', 2], ['slsa-provenance-l3', 3]] as const) {
      expect(library.get(name)!.spec.policies[0]).toMatchObject({ ref: 'slsa-provenance', with: { level } });
    }
    for (const name of [
      'sbom-per-release', 'static-analysis-clean', 'tests-pass', 'secrets-scanning', 'openssf-scorecard', 'security-review',
      'threat-model', 'incident-response-plan', 'access-review', 'security-awareness-training', 'vendor-risk-management',
      'backup-restore-test', 'vulnerability-disclosure-policy', 'actively-exploited-vuln-reporting',
    ]) expect(library.has(name), name).toBe(true);
  });

  it('maps every library requirement to at least one built-in control', () => {
    const used = new Set<string>();
    for (const name of frameworks.keys()) for (const c of controlsOf(name)) for (const r of c.requirements ?? []) used.add(r.ref);
    expect([...library.keys()].filter((n) => !used.has(n))).toEqual([]);
  });

  it('reuses requirements across frameworks (cross-framework mapping)', () => {
    const frameworksUsing = new Map<string, Set<string>>();
    for (const name of frameworks.keys()) {
      for (const c of controlsOf(name)) for (const r of c.requirements ?? []) {
        if (!frameworksUsing.has(r.ref)) frameworksUsing.set(r.ref, new Set());
        frameworksUsing.get(r.ref)!.add(name);
      }
    }
    expect([...frameworksUsing.get('no-vulnerabilities-high')!].sort()).toEqual(
      expect.arrayContaining(['best-practices', 'cra', 'iso27001-2022', 'soc2', 'ssdf']),
    );
    const shared = [...frameworksUsing.values()].filter((s) => s.size >= 2).length;
    expect(shared / library.size).toBeGreaterThan(0.5);
  });

  it.skipIf(!existsSync(chainloopFramework))('resolves every requirement ref of the Chainloop example framework', () => {
    const [doc] = readDocs(chainloopFramework);
    const refs: string[] = (doc.spec.requirements ?? []).map((r: Ref) => r.ref);
    const collect = (sections: Section[] = []) => {
      for (const s of sections) {
        for (const r of s.requirements ?? []) refs.push(r.ref);
        collect(s.sections);
      }
    };
    collect(doc.spec.sections);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !library.has(r))).toEqual([]);
  });
});
