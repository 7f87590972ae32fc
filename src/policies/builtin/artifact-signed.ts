// artifact-signed (alias container-signed): a signature covers the artifact,
// and, given a public key or a Sigstore trusted root, it verifies offline.
//
// The artifact is known by digest: the subjects of the provenance statements
// and the subject hashes of the SBOMs. The signatures are signed provenance
// envelopes and Sigstore (or legacy cosign) bundles; one counts when one of its
// subject digests is an artifact digest. When no artifact digest is known at
// all, any signature counts and the reason says the identity was not checked.
import type { SignatureMaterial, Subject } from '../../evidence/types.ts';
import type { EvidenceItem } from '../../model/types.ts';
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, equalParameters, plural, skippedNoPrimary, sortedUnique, verdict } from '../shared/common.ts';
import { digestKeys, loadPublicKey, loadTrustMaterial, shortDigest, verifyBundle, verifyWithKey, type CheckResult } from '../shared/signatures.ts';

export interface ArtifactSignedParams {
  publicKey?: string;
  trustedRoot?: string;
}

interface Candidate {
  source: string;
  what: string;
  digests: string[];
  material?: SignatureMaterial;
}

function subjectDigests(subjects: readonly Subject[] | undefined): string[] {
  return (subjects ?? []).flatMap((s) => digestKeys(s.digest));
}

function candidates(items: readonly EvidenceItem[]): Candidate[] {
  const out: Candidate[] = [];
  for (const item of items) {
    for (const p of item.data.provenance ?? []) {
      if (!p.signed) continue;
      const c: Candidate = { source: item.path, what: p.envelope === 'sigstore-bundle' ? 'signed provenance (Sigstore bundle)' : 'signed provenance (DSSE)', digests: subjectDigests(p.subjects) };
      if (p.signature) c.material = p.signature;
      out.push(c);
    }
    for (const b of item.data.signatures ?? []) {
      const digests = subjectDigests(b.subjects);
      const md = b.material.messageDigest;
      if (md) digests.push(...digestKeys({ [md.algorithm || 'sha256']: md.digest }));
      out.push({ source: item.path, what: b.format === 'cosign-legacy' ? 'cosign signature bundle' : 'Sigstore bundle', digests: sortedUnique(digests), material: b.material });
    }
  }
  return out;
}

function evaluate(input: PolicyInput, params: ArtifactSignedParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(['sigstore-bundle', 'slsa-provenance'], 'signature or provenance');
  const artifact = new Set<string>();
  for (const item of items) for (const p of item.data.provenance ?? []) for (const d of subjectDigests(p.subjects)) artifact.add(d);
  for (const item of input.supporting) if (item.data.sbom?.subject) for (const d of digestKeys(item.data.sbom.subject.hashes)) artifact.add(d);

  const all = candidates(items);
  if (all.length === 0) {
    return verdict([`no signature: ${items.map((i) => i.path).join(', ')} ${items.length === 1 ? 'is' : 'are'} not signed, and there is no Sigstore bundle`]);
  }
  const identityChecked = artifact.size > 0;
  const matching = identityChecked ? all.filter((c) => c.digests.some((d) => artifact.has(d))) : all;
  if (matching.length === 0) {
    const covered = sortedUnique(all.flatMap((c) => c.digests)).map(shortDigest);
    return verdict([`no signature covers the artifact (${sortedUnique(artifact).map(shortDigest).join(', ')}); the signatures found cover ${covered.length > 0 ? covered.join(', ') : 'no digest'}`]);
  }
  const identityNote = identityChecked ? '' : '; the artifact identity could not be checked (no provenance subject or SBOM subject hash names the artifact)';
  const found = matching.map((c) => `${c.what} ${c.source}`);

  if (params.publicKey === undefined && params.trustedRoot === undefined) {
    return verdict([], `signature present, not verified: ${sortedUnique(found).join(', ')}${identityNote}`);
  }

  // Load what we verify with; a missing or unreadable file is a violation.
  const problems: string[] = [];
  let key: ReturnType<typeof loadPublicKey> | undefined;
  if (params.publicKey !== undefined) {
    const pem = input.files[params.publicKey];
    if (pem === undefined) problems.push(`the public key ${params.publicKey} is not among the content files`);
    else {
      key = loadPublicKey(pem);
      if (typeof key === 'string') problems.push(`the public key ${params.publicKey} cannot be used: ${key}`);
    }
  }
  let trust: ReturnType<typeof loadTrustMaterial> | undefined;
  if (params.trustedRoot !== undefined) {
    const text = input.files[params.trustedRoot];
    if (text === undefined) problems.push(`the trusted root ${params.trustedRoot} is not among the content files`);
    else {
      trust = loadTrustMaterial(text, key !== undefined && typeof key !== 'string' ? key : undefined);
      if (typeof trust === 'string') problems.push(`the trusted root ${params.trustedRoot} cannot be used: ${trust}`);
    }
  }
  if (problems.length > 0) return verdict(problems);
  const usableKey = key !== undefined && typeof key !== 'string' ? key : undefined;
  const usableTrust = trust !== undefined && typeof trust !== 'string' ? trust : undefined;

  const verified: string[] = [];
  const failures: string[] = [];
  for (const c of matching) {
    let result: CheckResult;
    let by: string;
    if (!c.material) {
      result = { outcome: 'undecidable', why: 'the reader kept no signature material' };
      by = 'anything';
    } else if (usableTrust && (c.material.bundle !== undefined || !usableKey)) {
      result = verifyBundle(c.material, usableTrust);
      by = `the trusted root ${params.trustedRoot}`;
    } else {
      result = verifyWithKey(c.material, usableKey!);
      by = `the key ${params.publicKey}`;
    }
    if (result.outcome === 'verified') verified.push(`${c.what} ${c.source} verified with ${by}`);
    else if (result.outcome === 'failed') failures.push(`${c.source}: ${c.what} does not verify with ${by}: ${result.why}`);
    else failures.push(`${c.source}: ${c.what} cannot be verified with ${by}: ${result.why}`);
  }
  if (verified.length > 0) {
    const others = failures.length > 0 ? `; not verified: ${sortedUnique(failures).join('; ')}` : '';
    return verdict([], `${sortedUnique(verified).join(', ')}${others}${identityNote}`);
  }
  return verdict(failures, `${plural(matching.length, 'signature')} over the artifact, none verified${identityNote}`);
}

export const policy: BuiltinPolicy<ArtifactSignedParams> = {
  meta: {
    name: 'artifact-signed',
    aliases: ['container-signed'],
    title: 'The artifact is signed',
    description: 'Fails when no signature (signed provenance or a Sigstore bundle) covers the artifact\'s digest, or, with `publicKey` or a committed Sigstore `trustedRoot`, when none verifies. Never fetches anything; without either, passes with "signature present, not verified".',
    primary: ['sigstore-bundle', 'slsa-provenance'],
    accepts: (item) => (item.kind === 'sigstore-bundle' && (item.facets.signatures ?? 0) > 0) || (item.kind === 'slsa-provenance' && (item.facets.provenance ?? 0) > 0),
    supporting: ['cyclonedx', 'spdx'],
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        publicKey: { type: 'string', minLength: 1, description: 'Content path of a PEM public key (or certificate) the signature must verify with.' },
        trustedRoot: { type: 'string', minLength: 1, description: 'Content path of a Sigstore trusted_root.json to verify bundles against, offline.' },
      },
    },
    compatible: equalParameters,
  },
  evaluate,
};
