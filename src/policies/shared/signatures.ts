// Offline signature checks for `artifact-signed`: with a committed public key
// (node:crypto), or with a committed Sigstore trusted root (@sigstore/verify).
// Nothing here fetches anything: a Sigstore bundle is checked against the
// trusted root with the certificate chain, SCTs, transparency-log inclusion
// (promise or proof with checkpoint) and timestamps it carries.
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import type { Digest, SignatureMaterial } from '../../evidence/types.ts';
import { verifyPrehashed } from './prehashed.ts';

/** The outcome of one check: verified, not verified (bad signature), or not decidable (with why). */
export type CheckResult = { outcome: 'verified' } | { outcome: 'failed'; why: string } | { outcome: 'undecidable'; why: string };

// ---- digests ------------------------------------------------------------

/** sha256, SHA-256, SHA2_256 → sha256. */
export function normalizeAlgorithm(algorithm: string): string {
  const a = algorithm.toLowerCase().replace(/[-_]/g, '');
  const sha2 = /^sha2(256|384|512)$/.exec(a);
  return sha2 ? `sha${sha2[1]}` : a;
}

/** Hex, lower case; base64 values (as in Sigstore bundles) are converted. */
export function normalizeDigestValue(value: string): string {
  const v = value.trim();
  if (/^[0-9a-fA-F]+$/.test(v) && v.length % 2 === 0 && v.length >= 32) return v.toLowerCase();
  return Buffer.from(v, 'base64').toString('hex');
}

/** `sha256:abcd…` keys of a digest set. */
export function digestKeys(digest: Digest | undefined): string[] {
  if (!digest) return [];
  return Object.entries(digest)
    .filter(([, v]) => typeof v === 'string' && v.trim() !== '')
    .map(([alg, v]) => `${normalizeAlgorithm(alg)}:${normalizeDigestValue(v)}`);
}

/** "sha256:0123456789ab…" for messages. */
export function shortDigest(key: string): string {
  const [alg, hex] = key.split(':');
  return hex && hex.length > 16 ? `${alg}:${hex.slice(0, 16)}…` : key;
}

// ---- public keys --------------------------------------------------------

/** A public key from PEM text: SPKI, PKCS#1 RSA, or an X.509 certificate. */
export function loadPublicKey(pem: string): KeyObject | string {
  try {
    return createPublicKey(pem);
  } catch (error) {
    return `it is not a PEM public key or certificate (${error instanceof Error ? error.message : String(error)})`;
  }
}

function hashFor(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448') return null;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return 'sha384';
    if (curve === 'secp521r1') return 'sha512';
  }
  return 'sha256';
}

/** Verify `signature` over `data` with `key`: the key's usual hash, DER or IEEE P1363 ECDSA, RSA PKCS#1 v1.5 or PSS. */
export function verifyData(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const hash = hashFor(key);
  const attempts: Parameters<typeof cryptoVerify>[2][] = [key];
  if (key.asymmetricKeyType === 'ec') attempts.push({ key, dsaEncoding: 'ieee-p1363' });
  if (key.asymmetricKeyType === 'rsa') attempts.push({ key, padding: 6 /* RSA_PKCS1_PSS_PADDING */ });
  for (const attempt of attempts) {
    try {
      if (cryptoVerify(hash, data, attempt, signature)) return true;
    } catch {
      // try the next encoding
    }
  }
  return false;
}

/** DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'utf8'), type, Buffer.from(` ${payload.length} `, 'utf8'), payload]);
}

function decodeBase64(text: string | undefined): Buffer | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  return Buffer.from(text.trim(), text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
}

/** Check one signature with a public key, offline. */
export function verifyWithKey(material: SignatureMaterial, key: KeyObject): CheckResult {
  const signature = decodeBase64(material.signature);
  if (!signature) return { outcome: 'undecidable', why: 'it carries no signature bytes' };
  if (material.kind === 'dsse' || (material.kind === 'cosign-legacy' && material.payload)) {
    const payload = decodeBase64(material.payload);
    if (!payload) return { outcome: 'undecidable', why: 'the signed payload is missing' };
    const data = material.kind === 'dsse' ? pae(material.payloadType ?? '', payload) : payload;
    return verifyData(key, data, signature) ? { outcome: 'verified' } : { outcome: 'failed', why: `the ${material.kind === 'dsse' ? 'DSSE ' : ''}signature does not verify with the key` };
  }
  const md = material.messageDigest;
  if (!md) return { outcome: 'undecidable', why: 'the signed content is not in the file: no payload and no message digest' };
  const algorithm = normalizeAlgorithm(md.algorithm || 'sha256');
  const result = verifyPrehashed(key, algorithm, Buffer.from(normalizeDigestValue(md.digest), 'hex'), signature);
  if (typeof result === 'string') return { outcome: 'undecidable', why: result };
  return result ? { outcome: 'verified' } : { outcome: 'failed', why: 'the signature over the artifact digest does not verify with the key' };
}

// ---- Sigstore trusted root ----------------------------------------------

const trustCache = new Map<string, TrustMaterial | string>();

/** Trust material from trusted_root.json text (cached by text); a string says why it cannot be read. */
export function loadTrustMaterial(text: string, key?: KeyObject): TrustMaterial | string {
  const cacheKey = text;
  let base = trustCache.get(cacheKey);
  if (base === undefined) {
    try {
      base = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(text)));
    } catch (error) {
      base = `it is not a Sigstore trusted root (${error instanceof Error ? error.message : String(error)})`;
    }
    if (trustCache.size > 32) trustCache.clear();
    trustCache.set(cacheKey, base);
  }
  if (typeof base === 'string') return base;
  // Bundles signed with a key name it by hint; the committed public key answers every hint.
  const keyFinder = key ? () => ({ publicKey: key, validFor: () => true }) : base.publicKey;
  return { ...base, publicKey: keyFinder };
}

function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    return typeof e.code === 'string' ? `${e.code}: ${message}` : message;
  }
  return String(error);
}

/** Check a Sigstore bundle against the trust material, offline. */
export function verifyBundle(material: SignatureMaterial, trust: TrustMaterial): CheckResult {
  if (material.kind === 'cosign-legacy') {
    return { outcome: 'undecidable', why: 'a legacy cosign bundle (base64Signature and rekorBundle) is not a Sigstore bundle and cannot be checked against a trusted root; give publicKey to check it with the signing key' };
  }
  if (material.bundle === undefined && material.certificatePem) {
    return { outcome: 'undecidable', why: 'the DSSE envelope carries a short-lived signing certificate but no transparency-log entry or signed timestamp, so the certificate cannot be shown valid at signing time offline (online verifiers look the entry up in Rekor); commit the Sigstore bundle instead, or give publicKey' };
  }
  if (material.bundle === undefined) {
    return { outcome: 'undecidable', why: 'a bare DSSE envelope carries no certificate and no transparency-log entry, so there is nothing to check against a Sigstore trusted root; give publicKey to check it with the signing key' };
  }
  let entity: SignedEntity;
  try {
    const bundle = bundleFromJSON(material.bundle);
    entity = toSignedEntity(bundle);
    if (bundle.content.$case === 'messageSignature') {
      // The artifact is not at hand: check the signature over the digest the bundle names.
      const content = entity.signature;
      const md = bundle.content.messageSignature.messageDigest;
      const algorithm = md.algorithm === 2 ? 'sha384' : md.algorithm === 3 ? 'sha512' : 'sha256';
      const digest = Buffer.from(md.digest);
      let undecidable: string | undefined;
      entity = {
        ...entity,
        signature: {
          signature: content.signature,
          compareSignature: (s) => content.compareSignature(s),
          compareDigest: (d) => content.compareDigest(d),
          verifySignature: (key) => {
            const result = verifyPrehashed(key, algorithm, digest, content.signature);
            if (typeof result === 'string') undecidable = result;
            return result === true;
          },
        },
      };
      try {
        new Verifier(trust).verify(entity);
        return { outcome: 'verified' };
      } catch (error) {
        if (undecidable) return { outcome: 'undecidable', why: undecidable };
        return { outcome: 'failed', why: `Sigstore verification failed (${describeError(error)})` };
      }
    }
  } catch (error) {
    return { outcome: 'undecidable', why: `it is not a valid Sigstore bundle (${describeError(error)})` };
  }
  try {
    new Verifier(trust).verify(entity);
    return { outcome: 'verified' };
  } catch (error) {
    return { outcome: 'failed', why: `Sigstore verification failed (${describeError(error)})` };
  }
}

/** sha256 of text, hex (for notes). */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
