// Signature checks over a digest that was signed without the message at hand.
// A Sigstore message signature (and cosign's sign-blob) signs the artifact,
// which evident never has: only its digest. node:crypto always hashes the data
// it verifies, so ECDSA over a given digest is done here with BigInt, and RSA
// PKCS#1 v1.5 by recovering the DigestInfo with the public key. Ed25519 signs
// the message itself and cannot be checked from a digest.
import { constants, publicDecrypt, type KeyObject } from 'node:crypto';

interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
  bytes: number;
}

const curves: Record<string, Curve> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    bytes: 32,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    bytes: 48,
  },
};

/** Jacobian coordinates (x = X/Z², y = Y/Z³); null is the point at infinity. */
type Point = { X: bigint; Y: bigint; Z: bigint } | null;

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r >= 0n ? r : r + m;
}

function inverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

function double(c: Curve, P: Point): Point {
  if (P === null || P.Y === 0n) return null;
  const { p } = c;
  const YY = mod(P.Y * P.Y, p);
  const S = mod(4n * P.X * YY, p);
  const ZZ = mod(P.Z * P.Z, p);
  const M = mod(3n * P.X * P.X + c.a * ZZ * ZZ, p);
  const X = mod(M * M - 2n * S, p);
  return { X, Y: mod(M * (S - X) - 8n * YY * YY, p), Z: mod(2n * P.Y * P.Z, p) };
}

function add(c: Curve, P: Point, Q: Point): Point {
  if (P === null) return Q;
  if (Q === null) return P;
  const { p } = c;
  const Z1Z1 = mod(P.Z * P.Z, p);
  const Z2Z2 = mod(Q.Z * Q.Z, p);
  const U1 = mod(P.X * Z2Z2, p);
  const U2 = mod(Q.X * Z1Z1, p);
  const S1 = mod(P.Y * Z2Z2 * Q.Z, p);
  const S2 = mod(Q.Y * Z1Z1 * P.Z, p);
  if (U1 === U2) return S1 === S2 ? double(c, P) : null;
  const H = mod(U2 - U1, p);
  const R = mod(S2 - S1, p);
  const HH = mod(H * H, p);
  const HHH = mod(HH * H, p);
  const X = mod(R * R - HHH - 2n * U1 * HH, p);
  return { X, Y: mod(R * (U1 * HH - X) - S1 * HHH, p), Z: mod(H * P.Z * Q.Z, p) };
}

/** u1·G + u2·Q in one pass (Shamir's trick). */
function twoMultiply(c: Curve, u1: bigint, G: Point, u2: bigint, Q: Point): Point {
  const GQ = add(c, G, Q);
  let result: Point = null;
  const bits = Math.max(u1.toString(2).length, u2.toString(2).length);
  for (let i = bits - 1; i >= 0; i--) {
    result = double(c, result);
    const b1 = (u1 >> BigInt(i)) & 1n;
    const b2 = (u2 >> BigInt(i)) & 1n;
    if (b1 && b2) result = add(c, result, GQ);
    else if (b1) result = add(c, result, G);
    else if (b2) result = add(c, result, Q);
  }
  return result;
}

function affineX(c: Curve, P: Point): bigint | undefined {
  if (P === null) return undefined;
  const zInv = inverse(P.Z, c.p);
  return mod(P.X * zInv * zInv, c.p);
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** (r, s) from a DER SEQUENCE of two INTEGERs, or from raw r‖s. */
function signatureNumbers(signature: Buffer, size: number): { r: bigint; s: bigint } | undefined {
  if (signature.length === 2 * size && signature[0] !== 0x30) {
    return { r: toBigInt(signature.subarray(0, size)), s: toBigInt(signature.subarray(size)) };
  }
  let i = 0;
  const length = (): number | undefined => {
    const first = signature[i++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2) return undefined;
    let n = 0;
    for (let k = 0; k < count; k++) n = (n << 8) | (signature[i++] ?? 0);
    return n;
  };
  if (signature[i++] !== 0x30) return undefined;
  const total = length();
  if (total === undefined || i + total !== signature.length) return undefined;
  const integer = (): bigint | undefined => {
    if (signature[i++] !== 0x02) return undefined;
    const n = length();
    if (n === undefined || i + n > signature.length) return undefined;
    const value = toBigInt(signature.subarray(i, i + n));
    i += n;
    return value;
  };
  const r = integer();
  const s = integer();
  if (r === undefined || s === undefined || i !== signature.length) return undefined;
  return { r, s };
}

function verifyEcdsa(key: KeyObject, digest: Buffer, signature: Buffer): boolean | string {
  const curveName = key.asymmetricKeyDetails?.namedCurve;
  const c = curveName === 'prime256v1' || curveName === 'P-256' ? curves['P-256'] : curveName === 'secp384r1' || curveName === 'P-384' ? curves['P-384'] : undefined;
  if (!c) return `ECDSA over a digest is not supported for curve ${curveName ?? 'unknown'}`;
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) return 'the public key cannot be read';
  const Q: Point = { X: toBigInt(Buffer.from(jwk.x, 'base64url')), Y: toBigInt(Buffer.from(jwk.y, 'base64url')), Z: 1n };
  const rs = signatureNumbers(signature, c.bytes);
  if (!rs) return false;
  const { r, s } = rs;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  // The leftmost bits of the digest, as many as the group order has.
  let e = toBigInt(digest);
  const excess = digest.length * 8 - c.n.toString(2).length;
  if (excess > 0) e >>= BigInt(excess);
  const w = inverse(s, c.n);
  const x = affineX(c, twoMultiply(c, mod(e * w, c.n), { X: c.gx, Y: c.gy, Z: 1n }, mod(r * w, c.n), Q));
  return x !== undefined && mod(x, c.n) === r;
}

const digestInfoPrefix: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

function verifyRsaPkcs1(key: KeyObject, algorithm: string, digest: Buffer, signature: Buffer): boolean | string {
  const prefix = digestInfoPrefix[algorithm];
  if (!prefix) return `RSA over a ${algorithm} digest is not supported`;
  try {
    const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return recovered.equals(Buffer.concat([Buffer.from(prefix, 'hex'), digest]));
  } catch {
    return false;
  }
}

/**
 * Does `signature` sign a message whose `algorithm` digest is `digest`?
 * true or false; a string says why it cannot be decided.
 */
export function verifyPrehashed(key: KeyObject, algorithm: string, digest: Buffer, signature: Buffer): boolean | string {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return verifyEcdsa(key, digest, signature);
    case 'rsa':
      return verifyRsaPkcs1(key, algorithm, digest, signature);
    default:
      return `a ${key.asymmetricKeyType ?? 'unknown'} signature covers the artifact itself, which evident does not have, only its digest`;
  }
}
