// Sigstore bundles (v0.1–v0.3, message signature or DSSE), npm attestations
// responses without provenance, and the legacy cosign bundle
// (`{base64Signature, cert, rekorBundle}`). Bundles that carry SLSA provenance
// are read by the in-toto reader, which runs first.
//
// SPEC §7 gives this kind no content timestamp: the integration time of the
// transparency-log entry is kept in `integratedTime`, and the item's timestamp
// is its commit date.
import { Buffer } from 'node:buffer';
import type { SignatureBundle } from '../types.ts';
import { containerLabel, isCosignLegacy, isNpmAttestations, isSigstoreBundle, readSubject, unwrap } from './attestations.ts';
import { signatureOf } from './intoto.ts';
import { compact, error, fromUnixSeconds, get, isObject, str, type Normalized, type Obj, type ReaderContext } from './common.ts';

export const kind = 'sigstore-bundle';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines) return false;
  return isSigstoreBundle(doc) || isNpmAttestations(doc) || isCosignLegacy(doc);
}

export function normalize(doc: unknown, ctx: ReaderContext): Normalized {
  if (isCosignLegacy(doc)) return readCosignLegacy(doc);
  const { attestations, problems } = unwrap(doc, ctx);
  const signatures = attestations.filter((a) => a.material).map(signatureOf);
  const first = attestations[0];
  const format = isNpmAttestations(doc) ? 'npm attestations' : first ? containerLabel(first) : 'Sigstore bundle';
  return { format, data: { signatures }, problems: [...problems] };
}

function readCosignLegacy(doc: Obj): Normalized {
  const problems: Normalized['problems'] = [];
  const payload = get(doc, 'rekorBundle', 'Payload');
  // The Rekor entry body records what was signed: a hashedrekord holds the artifact digest.
  let subjects: SignatureBundle['subjects'] = [];
  const body = str(get(payload, 'body'));
  if (body) {
    try {
      const entry: unknown = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
      const hash = get(entry, 'spec', 'data', 'hash');
      const alg = str(get(hash, 'algorithm'));
      const value = str(get(hash, 'value'));
      if (alg && value) subjects = [readSubject({ digest: { [alg]: value } })];
    } catch {
      problems.push(error('evidence-invalid', 'The rekorBundle body of the cosign bundle is not base64-encoded JSON.'));
    }
  }
  const signature = str(doc.base64Signature) ?? '';
  const cert = str(doc.cert);
  const material = compact({ kind: 'cosign-legacy' as const, signature, certificatePem: cert ? certificatePem(cert) : undefined });
  const bundle: SignatureBundle = compact({
    format: 'cosign-legacy' as const,
    subjects,
    material,
    integratedTime: fromUnixSeconds(get(payload, 'integratedTime')),
  });
  if (!isObject(get(doc, 'rekorBundle'))) problems.push(error('evidence-invalid', 'The cosign bundle has no rekorBundle.'));
  return { format: 'cosign bundle (legacy)', data: { signatures: [bundle] }, problems };
}

// cosign writes the PEM itself base64-encoded; older versions wrote the PEM as is.
function certificatePem(cert: string): string {
  if (cert.includes('-----BEGIN')) return cert;
  const decoded = Buffer.from(cert, 'base64').toString('utf8');
  return decoded.includes('-----BEGIN') ? decoded : cert;
}
