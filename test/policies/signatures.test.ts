// artifact-signed (real ECDSA signatures made here, a synthetic Sigstore trusted root,
// and the public-good root when this machine has one) and slsa-provenance.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Provenance, SignatureBundle } from '../../src/evidence/types.ts';
import { policy as artifactSigned } from '../../src/policies/builtin/artifact-signed.ts';
import { defaultTrustedBuilders, isTrustedBuilder, policy as slsa } from '../../src/policies/builtin/slsa-provenance.ts';
import { pae, verifyWithKey } from '../../src/policies/shared/signatures.ts';
import { verifyPrehashed } from '../../src/policies/shared/prehashed.ts';
import { component, input, item, run, sbom } from './helpers.ts';

const artifactDigest = createHash('sha256').update('the artifact').digest('hex');
const otherDigest = createHash('sha256').update('another artifact').digest('hex');
const payloadType = 'application/vnd.in-toto+json';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { publicKey, privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function statementPayload(digest: string, builderId = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0'): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'app.tar.gz', digest: { sha256: digest } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: { buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1' }, runDetails: { builder: { id: builderId } } },
    }),
  );
}

function signedProvenance(privateKey: KeyObject, digest = artifactDigest, extra: Partial<Provenance> = {}): Provenance {
  const payload = statementPayload(digest);
  const signature = sign('sha256', pae(payloadType, payload), privateKey).toString('base64');
  return {
    predicateType: 'https://slsa.dev/provenance/v1',
    slsaVersion: '1',
    builderId: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
    buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
    subjects: [{ name: 'app.tar.gz', digest: { sha256: digest } }],
    envelope: 'dsse',
    signed: true,
    signature: { kind: 'dsse', payloadType, payload: payload.toString('base64'), signature },
    ...extra,
  };
}

function flipPayloadByte(p: Provenance): Provenance {
  const bytes = Buffer.from(p.signature!.payload!, 'base64');
  bytes[20] ^= 0x01;
  return { ...p, signature: { ...p.signature!, payload: bytes.toString('base64') } };
}

const provItem = (p: Provenance[], path = 'evidence/app/provenance.intoto.json') => item('slsa-provenance', { provenance: p }, { path });
const sbomFor = (digest: string) => item('cyclonedx', { sbom: sbom([component('a', '1')], { subject: { name: 'app', hashes: { sha256: digest } } }) }, { path: 'evidence/app/bom.json' });

describe('signature primitives', () => {
  it('PAE is the DSSE v1 encoding', () => {
    expect(pae('t', Buffer.from('hello')).toString()).toBe('DSSEv1 1 t 5 hello');
  });

  it('verifies ECDSA P-256 over a digest (message signatures) and rejects another digest', () => {
    const { publicKey, privateKey } = keyPair();
    const data = Buffer.from('the artifact');
    const signature = sign('sha256', data, privateKey);
    expect(verifyPrehashed(publicKey, 'sha256', createHash('sha256').update(data).digest(), signature)).toBe(true);
    expect(verifyPrehashed(publicKey, 'sha256', createHash('sha256').update('other').digest(), signature)).toBe(false);
  });

  it.each(['P-256', 'P-384'])('agrees with node:crypto on %s for many messages, and rejects altered signatures', (namedCurve) => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
    const hash = namedCurve === 'P-384' ? 'sha384' : 'sha256';
    for (let i = 0; i < 12; i++) {
      const data = Buffer.from(`message ${i} ${'x'.repeat(i * 7)}`);
      const signature = sign(hash, data, privateKey);
      const digest = createHash(hash).update(data).digest();
      expect(verifyPrehashed(publicKey, hash, digest, signature)).toBe(true);
      const altered = Buffer.from(signature);
      altered[altered.length - 1] ^= 0x01;
      expect(verifyPrehashed(publicKey, hash, digest, altered)).toBe(false);
    }
  });

  it('says why an Ed25519 message signature cannot be checked from a digest', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(verifyPrehashed(publicKey, 'sha256', Buffer.alloc(32), Buffer.alloc(64))).toMatch(/covers the artifact itself/);
  });

  it('verifies a cosign-style payload signature', () => {
    const { publicKey, privateKey } = keyPair();
    const payload = Buffer.from('{"critical":{}}');
    const signature = sign('sha256', payload, privateKey).toString('base64');
    expect(verifyWithKey({ kind: 'cosign-legacy', payload: payload.toString('base64'), signature }, publicKey)).toEqual({ outcome: 'verified' });
    expect(verifyWithKey({ kind: 'cosign-legacy', signature }, publicKey)).toEqual({ outcome: 'undecidable', why: 'the signed content is not in the file: no payload and no message digest' });
  });
});

describe('artifact-signed', () => {
  it('has the alias container-signed', () => {
    expect(artifactSigned.meta.aliases).toEqual(['container-signed']);
  });

  it('passes with a signed provenance, not verified without key or root', () => {
    const { privateKey } = keyPair();
    expect(run(artifactSigned, input([provItem([signedProvenance(privateKey)])]))).toEqual({
      status: 'PASSED',
      violations: [],
      reason: 'signature present, not verified: signed provenance (DSSE) evidence/app/provenance.intoto.json',
    });
  });

  it('verifies a real DSSE signature with the committed public key', () => {
    const { privateKey, pem } = keyPair();
    const v = run(artifactSigned, input([provItem([signedProvenance(privateKey)])], { files: { 'keys/cosign.pub': pem } }), { publicKey: 'keys/cosign.pub' });
    expect(v).toEqual({ status: 'PASSED', violations: [], reason: 'signed provenance (DSSE) evidence/app/provenance.intoto.json verified with the key keys/cosign.pub' });
  });

  it('fails after one payload byte flips', () => {
    const { privateKey, pem } = keyPair();
    const v = run(artifactSigned, input([provItem([flipPayloadByte(signedProvenance(privateKey))])], { files: { 'keys/cosign.pub': pem } }), { publicKey: 'keys/cosign.pub' });
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual(['evidence/app/provenance.intoto.json: signed provenance (DSSE) does not verify with the key keys/cosign.pub: the DSSE signature does not verify with the key']);
  });

  it('fails with another key', () => {
    const { privateKey } = keyPair();
    const other = keyPair();
    const v = run(artifactSigned, input([provItem([signedProvenance(privateKey)])], { files: { 'k.pem': other.pem } }), { publicKey: 'k.pem' });
    expect(v.status).toBe('FAILED');
  });

  it('fails when the key file is not among the content files, or is not a key', () => {
    const { privateKey } = keyPair();
    const prov = provItem([signedProvenance(privateKey)]);
    expect(run(artifactSigned, input([prov]), { publicKey: 'keys/missing.pub' }).violations).toEqual(['the public key keys/missing.pub is not among the content files']);
    const bad = run(artifactSigned, input([prov], { files: { 'k.pem': 'not a key' } }), { publicKey: 'k.pem' });
    expect(bad.status).toBe('FAILED');
    expect(bad.violations[0]).toMatch(/^the public key k\.pem cannot be used: it is not a PEM public key or certificate/);
  });

  it('verifies a message signature over the artifact digest (Sigstore bundle) with the key', () => {
    const { privateKey, pem } = keyPair();
    const signature = sign('sha256', Buffer.from('the artifact'), privateKey).toString('base64');
    const bundle: SignatureBundle = { format: 'sigstore-bundle', subjects: [{ digest: { sha256: artifactDigest } }], material: { kind: 'message-signature', signature, messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(artifactDigest, 'hex').toString('base64') } } };
    const sig = item('sigstore-bundle', { signatures: [bundle] }, { path: 'evidence/app/app.sigstore.json' });
    const unsignedProv = provItem([{ ...signedProvenance(keyPair().privateKey), signed: false, signature: undefined, envelope: 'statement' }]);
    const v = run(artifactSigned, input([sig, unsignedProv], { files: { 'k.pem': pem } }), { publicKey: 'k.pem' });
    expect(v).toEqual({ status: 'PASSED', violations: [], reason: 'Sigstore bundle evidence/app/app.sigstore.json verified with the key k.pem' });
  });

  it('fails when no signature covers the artifact the SBOM describes', () => {
    const { privateKey } = keyPair();
    const bundle: SignatureBundle = { format: 'sigstore-bundle', subjects: [{ digest: { sha256: otherDigest } }], material: { kind: 'message-signature', signature: 'AA==' } };
    const v = run(artifactSigned, input([item('sigstore-bundle', { signatures: [bundle] })], { supporting: [sbomFor(artifactDigest)] }));
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual([`no signature covers the artifact (sha256:${artifactDigest.slice(0, 16)}…); the signatures found cover sha256:${otherDigest.slice(0, 16)}…`]);
    // A signed provenance for the artifact does cover it.
    expect(run(artifactSigned, input([provItem([signedProvenance(privateKey)])], { supporting: [sbomFor(artifactDigest)] })).status).toBe('PASSED');
  });

  it('counts any signature when no artifact digest is known, and says so', () => {
    const bundle: SignatureBundle = { format: 'sigstore-bundle', subjects: [{ digest: { sha256: otherDigest } }], material: { kind: 'message-signature', signature: 'AA==' } };
    const v = run(artifactSigned, input([item('sigstore-bundle', { signatures: [bundle] }, { path: 'evidence/app/x.sigstore' })]));
    expect(v.status).toBe('PASSED');
    expect(v.reason).toBe('signature present, not verified: Sigstore bundle evidence/app/x.sigstore; the artifact identity could not be checked (no provenance subject or SBOM subject hash names the artifact)');
  });

  it('fails when the provenance is not signed and there is no bundle', () => {
    const p = { ...signedProvenance(keyPair().privateKey), signed: false, signature: undefined, envelope: 'statement' as const };
    expect(run(artifactSigned, input([provItem([p])])).violations).toEqual(['no signature: evidence/app/provenance.intoto.json is not signed, and there is no Sigstore bundle']);
  });

  it('is SKIPPED without a signature or provenance', () => {
    expect(run(artifactSigned, input([]))).toEqual({ status: 'SKIPPED', violations: [], reason: 'No signature or provenance to read (evidence kinds: sigstore-bundle or slsa-provenance).' });
  });

  it('says precisely why a bare DSSE envelope cannot be checked against a trusted root', () => {
    const { privateKey } = keyPair();
    const v = run(artifactSigned, input([provItem([signedProvenance(privateKey)])], { files: { 'root.json': syntheticRoot(keyPair().publicKey) } }), { trustedRoot: 'root.json' });
    expect(v.status).toBe('FAILED');
    expect(v.violations[0]).toContain('a bare DSSE envelope carries no certificate and no transparency-log entry');
  });
});

// A Sigstore trusted root with one transparency log whose key we hold, and a
// v0.1 bundle signed with a key (hint) and logged with a signed entry timestamp.
function syntheticRoot(logKey: KeyObject): string {
  const der = logKey.export({ type: 'spki', format: 'der' });
  return JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: 'https://rekor.example', hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: der.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2020-01-01T00:00:00Z' } }, logId: { keyId: createHash('sha256').update(der).digest('base64') } }],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  });
}

function canonical(value: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
}

function loggedBundle(signer: ReturnType<typeof keyPair>, log: ReturnType<typeof keyPair>, integratedTime = 1767225600) {
  const payload = statementPayload(artifactDigest);
  const sig = sign('sha256', pae(payloadType, payload), signer.privateKey).toString('base64');
  const body = Buffer.from(
    JSON.stringify({ apiVersion: '0.0.1', kind: 'dsse', spec: { payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') }, signatures: [{ signature: sig, verifier: Buffer.from(signer.pem).toString('base64') }] } }),
  );
  const logId = createHash('sha256').update(log.publicKey.export({ type: 'spki', format: 'der' })).digest();
  const set = sign('sha256', Buffer.from(canonical({ body: body.toString('base64'), integratedTime, logIndex: 7, logID: logId.toString('hex') })), log.privateKey).toString('base64');
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      publicKey: { hint: 'release-key' },
      tlogEntries: [{ logIndex: '7', logId: { keyId: logId.toString('base64') }, kindVersion: { kind: 'dsse', version: '0.0.1' }, integratedTime: String(integratedTime), inclusionPromise: { signedEntryTimestamp: set }, canonicalizedBody: body.toString('base64') }],
    },
    dsseEnvelope: { payload: payload.toString('base64'), payloadType, signatures: [{ sig, keyid: '' }] },
  };
  const provenance: Provenance = { ...signedProvenance(signer.privateKey), envelope: 'sigstore-bundle', signature: { kind: 'dsse', payloadType, payload: payload.toString('base64'), signature: sig, bundle } };
  return { bundle, provenance };
}

describe('artifact-signed with a committed Sigstore trusted root (offline)', () => {
  it('verifies a bundle whose log entry is signed by a log in the trusted root', () => {
    const signer = keyPair();
    const log = keyPair();
    const { provenance } = loggedBundle(signer, log);
    const files = { 'sigstore/trusted_root.json': syntheticRoot(log.publicKey), 'keys/release.pub': signer.pem };
    const v = run(artifactSigned, input([provItem([provenance], 'evidence/app/app.sigstore.json')], { files }), { trustedRoot: 'sigstore/trusted_root.json', publicKey: 'keys/release.pub' });
    expect(v).toEqual({ status: 'PASSED', violations: [], reason: 'signed provenance (Sigstore bundle) evidence/app/app.sigstore.json verified with the trusted root sigstore/trusted_root.json' });
  });

  it('fails when the log entry was not signed by a trusted log', () => {
    const signer = keyPair();
    const { provenance } = loggedBundle(signer, keyPair());
    const files = { 'root.json': syntheticRoot(keyPair().publicKey), 'k.pub': signer.pem };
    const v = run(artifactSigned, input([provItem([provenance])], { files }), { trustedRoot: 'root.json', publicKey: 'k.pub' });
    expect(v.status).toBe('FAILED');
    expect(v.violations[0]).toMatch(/does not verify with the trusted root root\.json: Sigstore verification failed \(TLOG_INCLUSION_PROMISE_ERROR/);
  });

  it('fails when the bundle names a signing key the trusted root does not know', () => {
    const signer = keyPair();
    const log = keyPair();
    const { provenance } = loggedBundle(signer, log);
    const v = run(artifactSigned, input([provItem([provenance])], { files: { 'root.json': syntheticRoot(log.publicKey) } }), { trustedRoot: 'root.json' });
    expect(v.status).toBe('FAILED');
    expect(v.violations[0]).toContain('PUBLIC_KEY_ERROR: key not found: release-key');
  });

  it('fails when the trusted root is not readable', () => {
    const { provenance } = loggedBundle(keyPair(), keyPair());
    const v = run(artifactSigned, input([provItem([provenance])], { files: { 'root.json': '{not json' } }), { trustedRoot: 'root.json' });
    expect(v.violations[0]).toMatch(/^the trusted root root\.json cannot be used: it is not a Sigstore trusted root/);
  });
});

const seeds = '/usr/lib/node_modules/npm/node_modules/@sigstore/tuf/seeds.json';
const corpusBundle = new URL('../../../shared/corpus/sigstore/bundleV03-intoto.sigstore', import.meta.url);

const publicGoodAvailable = existsSync(seeds) && existsSync(corpusBundle);

// The describe body runs at collection even when skipped: read the files only when they exist.
describe.skipIf(!publicGoodAvailable)('artifact-signed with the Sigstore public-good trusted root', () => {
  const root = publicGoodAvailable ? Buffer.from(JSON.parse(readFileSync(seeds, 'utf8'))['https://tuf-repo-cdn.sigstore.dev'].targets['trusted_root.json'], 'base64').toString('utf8') : '';
  const bundle = publicGoodAvailable ? JSON.parse(readFileSync(corpusBundle, 'utf8')) : { dsseEnvelope: { payload: 'e30=' } };
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
  const signatureBundle = (b: typeof bundle): SignatureBundle => ({
    format: 'sigstore-bundle',
    subjects: statement.subject,
    material: { kind: 'dsse', payloadType: b.dsseEnvelope.payloadType, payload: b.dsseEnvelope.payload, signature: b.dsseEnvelope.signatures[0].sig, bundle: b },
  });

  it('verifies a real keyless bundle (Fulcio certificate, Rekor entry) offline', () => {
    const v = run(artifactSigned, input([item('sigstore-bundle', { signatures: [signatureBundle(bundle)] }, { path: 'evidence/app/npm.sigstore' })], { files: { 'trusted_root.json': root } }), { trustedRoot: 'trusted_root.json' });
    expect(v).toEqual({ status: 'PASSED', violations: [], reason: 'Sigstore bundle evidence/app/npm.sigstore verified with the trusted root trusted_root.json; the artifact identity could not be checked (no provenance subject or SBOM subject hash names the artifact)' });
  });

  it('fails the same bundle after one payload byte flips', () => {
    const tampered = structuredClone(bundle);
    const bytes = Buffer.from(tampered.dsseEnvelope.payload, 'base64');
    bytes[30] ^= 0x01;
    tampered.dsseEnvelope.payload = bytes.toString('base64');
    const v = run(artifactSigned, input([item('sigstore-bundle', { signatures: [signatureBundle(tampered)] })], { files: { 'trusted_root.json': root } }), { trustedRoot: 'trusted_root.json' });
    expect(v.status).toBe('FAILED');
    expect(v.violations[0]).toContain('TLOG_BODY_ERROR: DSSE payload hash mismatch');
  });
});

describe('slsa-provenance', () => {
  const base = (extra: Partial<Provenance> = {}): Provenance => ({
    predicateType: 'https://slsa.dev/provenance/v1',
    slsaVersion: '1',
    builderId: 'https://github.com/actions/runner/github-hosted',
    buildType: 'https://actions.github.io/buildtypes/workflow/v1',
    subjects: [{ name: 'app.tar.gz', digest: { sha256: artifactDigest } }],
    envelope: 'sigstore-bundle',
    signed: true,
    ...extra,
  });
  const path = 'evidence/app/provenance.json';
  const evaluate = (p: Provenance, given: Record<string, unknown> = {}, supporting = [] as ReturnType<typeof item>[]) => run(slsa, input([provItem([p], path)], { supporting }), given);

  it('passes L1 with builder.id and buildType', () => {
    expect(evaluate(base())).toEqual({ status: 'PASSED', violations: [], reason: `1 provenance statement checked for L1: ${path} (app.tar.gz): L1` });
  });

  it.each([
    ['no buildType', base({ buildType: undefined }), 1, `${path} (app.tar.gz): below SLSA Build L1: L1 needs builder.id and buildType; buildType missing`],
    ['unsigned at L2', base({ signed: false, envelope: 'statement' }), 2, `${path} (app.tar.gz): below SLSA Build L2: L2 needs a signed envelope; the statement is not signed`],
    ['GitHub-hosted runner at L3', base(), 3, `${path} (app.tar.gz): below SLSA Build L3: L3 needs a trusted builder; builder https://github.com/actions/runner/github-hosted is not in the trusted list`],
  ])('fails: %s', (_title, p, level, violation) => {
    const v = evaluate(p, { level });
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual([violation]);
  });

  it('passes L2 when signed', () => {
    expect(evaluate(base(), { level: 2 }).status).toBe('PASSED');
  });

  it('passes L3 with an slsa-github-generator builder at a release tag', () => {
    const p = base({ builderId: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@refs/tags/v1.9.0' });
    expect(evaluate(p, { level: 3 }).status).toBe('PASSED');
  });

  it('does not trust the generator at a branch', () => {
    const p = base({ builderId: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@refs/heads/main' });
    expect(evaluate(p, { level: 3 }).status).toBe('FAILED');
  });

  it('extends the trusted list with builders (exact or with *)', () => {
    expect(evaluate(base(), { level: 3, builders: ['https://github.com/actions/runner/github-hosted'] }).status).toBe('PASSED');
    const p = base({ builderId: 'https://build.acme.example/builders/v3' });
    expect(evaluate(p, { level: 3, builders: ['https://build.acme.example/builders/*'] }).status).toBe('PASSED');
  });

  it('fails when the provenance subjects do not include the artifact the SBOM describes', () => {
    const v = evaluate(base(), {}, [sbomFor(otherDigest)]);
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual([`subject digest mismatch: the provenance subjects (sha256:${artifactDigest.slice(0, 16)}…) do not include the artifact the SBOM describes (sha256:${otherDigest.slice(0, 16)}…)`]);
    expect(evaluate(base(), {}, [sbomFor(artifactDigest)]).status).toBe('PASSED');
  });

  it('does not compare digests of different algorithms', () => {
    const sbomSha512 = item('cyclonedx', { sbom: sbom([], { subject: { name: 'app', hashes: { sha512: 'ab'.repeat(64) } } }) });
    const v = evaluate(base(), {}, [sbomSha512]);
    expect(v.status).toBe('PASSED');
    expect(v.reason).toContain('share no digest algorithm');
  });

  it('is SKIPPED without provenance', () => {
    expect(run(slsa, input([]))).toEqual({ status: 'SKIPPED', violations: [], reason: 'No SLSA provenance to read (evidence kind: slsa-provenance).' });
  });

  it('documents its default L3 builders as release-tag patterns', () => {
    expect(defaultTrustedBuilders).toHaveLength(7);
    expect(isTrustedBuilder('https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0', defaultTrustedBuilders)).toBe(true);
    expect(isTrustedBuilder('https://github.com/evil/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0', defaultTrustedBuilders)).toBe(false);
  });
});
