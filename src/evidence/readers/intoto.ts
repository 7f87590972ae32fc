// in-toto Statements carrying SLSA provenance (v0.1, v0.2, v1), bare or in a
// DSSE envelope, a Sigstore bundle, an npm attestations response or JSON Lines
// of envelopes. Other statements signed in the same file (npm's publish
// attestation) become `signatures[]` entries beside the provenance.
import type { Provenance, SignatureBundle } from '../types.ts';
import { containerLabel, isProvenanceType, slsaProvenancePrefix, unwrap, type Attestation } from './attestations.ts';
import { compact, get, newest, readTimestamp, str, type Normalized, type ReaderContext } from './common.ts';

export const kind = 'slsa-provenance';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  return unwrap(doc, ctx).attestations.some((a) => isProvenanceType(a.statement?.predicateType));
}

export function normalize(doc: unknown, ctx: ReaderContext): Normalized {
  const { attestations, problems: unwrapProblems } = unwrap(doc, ctx);
  const problems = [...unwrapProblems];
  const provenance: Provenance[] = [];
  const signatures: SignatureBundle[] = [];
  for (const a of attestations) {
    if (isProvenanceType(a.statement?.predicateType)) {
      provenance.push(readProvenance(a, problems));
    } else if (a.material && (a.container === 'sigstore-bundle' || a.container === 'npm-attestations')) {
      signatures.push(signatureOf(a));
    }
  }
  const versions = [...new Set(provenance.map((p) => `v${p.slsaVersion}`))].join(', ');
  const label = containerLabel(attestations.find((a) => isProvenanceType(a.statement?.predicateType))!);
  return compact({
    format: `SLSA provenance ${versions} (${label}${ctx.jsonLines ? ', JSON Lines' : ''})`,
    data: compact({ provenance, signatures: signatures.length > 0 ? signatures : undefined }),
    timestamp: newest(provenance.map((p) => p.finishedOn)),
    problems,
  });
}

function readProvenance(a: Attestation, problems: Normalized['problems']): Provenance {
  const statement = a.statement!;
  const predicateType = statement.predicateType!;
  const version = predicateType.slice(slsaProvenancePrefix.length);
  const p = statement.predicate;
  let builderId: string | undefined;
  let buildType: string | undefined;
  let finishedOn: unknown;
  let slsaVersion: Provenance['slsaVersion'];
  if (/^v1(\.|$)/.test(version)) {
    slsaVersion = '1';
    builderId = str(get(p, 'runDetails', 'builder', 'id'));
    buildType = str(get(p, 'buildDefinition', 'buildType'));
    finishedOn = get(p, 'runDetails', 'metadata', 'finishedOn');
  } else {
    // v0.2, and v0.1 which has the same builder and metadata fields (its build
    // type is `recipe.type`); both are reported as the 0.2 model.
    slsaVersion = '0.2';
    builderId = str(get(p, 'builder', 'id'));
    buildType = str(get(p, 'buildType')) ?? str(get(p, 'recipe', 'type'));
    finishedOn = get(p, 'metadata', 'buildFinishedOn');
  }
  return compact({
    predicateType,
    slsaVersion,
    builderId,
    buildType,
    subjects: statement.subjects,
    finishedOn: readTimestamp(finishedOn, 'The provenance finish time', problems),
    envelope: a.container,
    signed: a.signed,
    signature: a.material,
  });
}

export function signatureOf(a: Attestation): SignatureBundle {
  return compact({
    format: 'sigstore-bundle' as const,
    mediaType: a.mediaType,
    subjects: a.subjects,
    predicateType: a.statement?.predicateType,
    material: a.material!,
    integratedTime: a.integratedTime,
  });
}
