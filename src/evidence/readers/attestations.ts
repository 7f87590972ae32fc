// Unwrapping signed attestations, shared by the in-toto/SLSA and Sigstore
// readers: a bare in-toto Statement, a DSSE envelope, a Sigstore bundle
// (DSSE or message signature), an npm registry attestations response, and
// JSON Lines of any of these. Nothing is verified here; the material needed to
// verify offline is kept (SignatureMaterial).
import { Buffer } from 'node:buffer';
import { bundleFromJSON } from '@sigstore/bundle';
import { pem } from '@sigstore/core';
import type { Provenance, ReaderProblem, SignatureMaterial, Subject } from '../types.ts';
import {
  asArray,
  compact,
  error,
  fromUnixSeconds,
  get,
  isObject,
  normalizeAlgorithm,
  normalizeDigestValue,
  str,
  type Obj,
  type ReaderContext,
} from './common.ts';

export const inTotoPayloadType = 'application/vnd.in-toto+json';
export const slsaProvenancePrefix = 'https://slsa.dev/provenance/';

export interface Statement {
  type: string;
  predicateType?: string;
  subjects: Subject[];
  predicate: unknown;
}

export interface Attestation {
  container: Provenance['envelope'];
  statement?: Statement;
  material?: SignatureMaterial;
  /** A DSSE envelope or bundle with at least one non-empty signature. */
  signed: boolean;
  /** Sigstore bundle media type. */
  mediaType?: string;
  /** Earliest transparency-log integration time of the bundle. */
  integratedTime?: string;
  /** What a message signature covers (its digest); in-toto subjects otherwise. */
  subjects: Subject[];
}

export interface Unwrapped {
  attestations: Attestation[];
  problems: ReaderProblem[];
}

export function isStatement(value: unknown): value is Obj {
  return isObject(value) && typeof value._type === 'string' && value._type.startsWith('https://in-toto.io/Statement/');
}

export function isDsseEnvelope(value: unknown): value is Obj {
  return isObject(value) && typeof value.payloadType === 'string' && typeof value.payload === 'string' && Array.isArray(value.signatures);
}

export function isSigstoreBundle(value: unknown): value is Obj {
  return isObject(value) && typeof value.mediaType === 'string' && value.mediaType.startsWith('application/vnd.dev.sigstore.bundle');
}

/** The npm registry's `GET /-/npm/v1/attestations/{pkg}@{version}` response. */
export function isNpmAttestations(value: unknown): value is Obj {
  return (
    isObject(value) &&
    Array.isArray(value.attestations) &&
    value.attestations.length > 0 &&
    value.attestations.every((a) => isObject(a) && isSigstoreBundle(a.bundle))
  );
}

/** cosign's pre-Sigstore-bundle format (`cosign sign-blob --bundle`). */
export function isCosignLegacy(value: unknown): value is Obj {
  return isObject(value) && typeof value.base64Signature === 'string' && (isObject(value.rekorBundle) || typeof value.cert === 'string');
}

export function isProvenanceType(predicateType: string | undefined): boolean {
  return predicateType !== undefined && predicateType.startsWith(slsaProvenancePrefix);
}

// detect() and normalize() both need the unwrapped form; decode payloads once per document.
const cache = new WeakMap<object, Unwrapped>();

export function unwrap(doc: unknown, ctx: ReaderContext): Unwrapped {
  if (typeof doc !== 'object' || doc === null) return { attestations: [], problems: [] };
  const cached = cache.get(doc);
  if (cached) return cached;
  const problems: ReaderProblem[] = [];
  const attestations: Attestation[] = [];
  const items = ctx.jsonLines && Array.isArray(doc) ? doc : [doc];
  items.forEach((item, index) => {
    const where = ctx.jsonLines ? ` (line ${index + 1})` : '';
    attestations.push(...unwrapOne(item, problems, where));
  });
  const result = { attestations, problems };
  cache.set(doc, result);
  return result;
}

function unwrapOne(value: unknown, problems: ReaderProblem[], where: string): Attestation[] {
  if (isNpmAttestations(value)) {
    return asArray(value.attestations).flatMap((entry, i) => {
      const attestation = fromBundle(get(entry, 'bundle') as Obj, 'npm-attestations', problems, `${where} (attestations[${i}])`);
      // The response names the predicate type beside the bundle; use it when the payload did not say.
      const declared = str(get(entry, 'predicateType'));
      if (attestation.statement && !attestation.statement.predicateType && declared) attestation.statement.predicateType = declared;
      return [attestation];
    });
  }
  if (isSigstoreBundle(value)) return [fromBundle(value, 'sigstore-bundle', problems, where)];
  if (isDsseEnvelope(value)) return [fromDsse(value, 'dsse', problems, where)];
  if (isStatement(value)) {
    const statement = readStatement(value);
    return [{ container: 'statement', statement, signed: false, subjects: statement.subjects }];
  }
  return [];
}

function fromBundle(bundle: Obj, container: Provenance['envelope'], problems: ReaderProblem[], where: string): Attestation {
  try {
    // The official parser checks the bundle's structure for its media type.
    bundleFromJSON(bundle);
  } catch (e) {
    problems.push(error('evidence-invalid', `Not a valid Sigstore bundle${where}: ${(e as Error).message}.`));
  }
  const mediaType = str(bundle.mediaType);
  const certificatePem = bundleCertificate(bundle);
  const keyHint = str(get(bundle, 'verificationMaterial', 'publicKey', 'hint'));
  const integratedTime = earliest(asArray(get(bundle, 'verificationMaterial', 'tlogEntries')).map((e) => fromUnixSeconds(get(e, 'integratedTime'))));
  const envelope = bundle.dsseEnvelope;
  if (isDsseEnvelope(envelope)) {
    const attestation = fromDsse(envelope, container, problems, where);
    attestation.mediaType = mediaType;
    if (integratedTime) attestation.integratedTime = integratedTime;
    if (attestation.material) {
      attestation.material.certificatePem ??= certificatePem;
      attestation.material.keyid ??= keyHint;
      attestation.material.bundle = bundle;
      attestation.material = compact(attestation.material);
    }
    return compact(attestation);
  }
  const message = bundle.messageSignature;
  if (isObject(message)) {
    const algorithm = str(get(message, 'messageDigest', 'algorithm'));
    const digest64 = str(get(message, 'messageDigest', 'digest'));
    const messageDigest = algorithm && digest64 ? { algorithm: normalizeAlgorithm(algorithm), digest: Buffer.from(digest64, 'base64').toString('hex') } : undefined;
    const signature = str(message.signature) ?? '';
    return compact({
      container,
      mediaType,
      integratedTime,
      signed: signature !== '',
      material: compact({ kind: 'message-signature' as const, signature, keyid: keyHint, certificatePem, messageDigest, bundle }),
      subjects: messageDigest ? [{ digest: { [messageDigest.algorithm]: messageDigest.digest } }] : [],
    });
  }
  problems.push(error('evidence-invalid', `The Sigstore bundle${where} has neither a dsseEnvelope nor a messageSignature.`));
  return compact({ container, mediaType, integratedTime, signed: false, subjects: [] });
}

function fromDsse(envelope: Obj, container: Provenance['envelope'], problems: ReaderProblem[], where: string): Attestation {
  const payloadType = str(envelope.payloadType) ?? '';
  const payload = str(envelope.payload) ?? '';
  const signatures = asArray(envelope.signatures).filter(isObject);
  const first = signatures.find((s) => str(s.sig) !== undefined);
  const material: SignatureMaterial = compact({
    kind: 'dsse' as const,
    payloadType,
    payload,
    signature: str(first?.sig) ?? '',
    keyid: str(first?.keyid),
    // slsa-github-generator puts the signing certificate (PEM) beside the signature.
    certificatePem: str(first?.cert),
  });
  const attestation: Attestation = { container, material, signed: first !== undefined, subjects: [] };
  if (payloadType !== inTotoPayloadType) return attestation;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    problems.push(error('evidence-invalid', `The DSSE payload${where} is not base64-encoded JSON.`));
    return attestation;
  }
  if (!isStatement(decoded)) {
    problems.push(error('evidence-invalid', `The DSSE payload${where} is not an in-toto Statement.`));
    return attestation;
  }
  attestation.statement = readStatement(decoded);
  attestation.subjects = attestation.statement.subjects;
  return attestation;
}

function readStatement(value: Obj): Statement {
  return compact({
    type: str(value._type) ?? '',
    predicateType: str(value.predicateType),
    subjects: asArray(value.subject).filter(isObject).map(readSubject),
    predicate: value.predicate,
  });
}

export function readSubject(value: Obj): Subject {
  const digest: Record<string, string> = {};
  if (isObject(value.digest)) {
    for (const [alg, v] of Object.entries(value.digest)) if (typeof v === 'string' && v !== '') digest[normalizeAlgorithm(alg)] = normalizeDigestValue(v);
  }
  return compact({ name: str(value.name), digest });
}

/** The leaf certificate of a bundle as PEM (v0.3 `certificate`, or the first of v0.1/v0.2's chain). */
function bundleCertificate(bundle: Obj): string | undefined {
  const der = str(get(bundle, 'verificationMaterial', 'certificate', 'rawBytes')) ?? str(get(asArray(get(bundle, 'verificationMaterial', 'x509CertificateChain', 'certificates'))[0], 'rawBytes'));
  return der ? derToPem(der) : undefined;
}

export function derToPem(base64Der: string): string {
  return pem.fromDER(Buffer.from(base64Der, 'base64'));
}

function earliest(values: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const v of values) if (v !== undefined && (best === undefined || v < best)) best = v;
  return best;
}

export function bundleVersion(mediaType: string | undefined): string | undefined {
  if (!mediaType) return undefined;
  return /version=([0-9.]+)/.exec(mediaType)?.[1] ?? /bundle\.v([0-9.]+)\+json/.exec(mediaType)?.[1];
}

export function containerLabel(a: Attestation): string {
  switch (a.container) {
    case 'statement':
      return 'in-toto Statement';
    case 'dsse':
      return 'DSSE envelope';
    case 'sigstore-bundle': {
      const v = bundleVersion(a.mediaType);
      return v ? `Sigstore bundle v${v}` : 'Sigstore bundle';
    }
    case 'npm-attestations':
      return 'npm attestations';
  }
}
