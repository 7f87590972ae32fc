// Shared reader helpers: severity normalisation (SPEC §4), CVSS scores, timestamps (SPEC §7), digests.
import { describe, expect, it } from 'vitest';
import { cvssBaseScore, hashMap, normalizeAlgorithm, normalizeSeverity, severityFromScore, toIsoUtc } from '../../src/evidence/readers/common.ts';

describe('normalizeSeverity', () => {
  it.each([
    ['CRITICAL', 'CRITICAL'],
    ['Critical', 'CRITICAL'],
    ['high', 'HIGH'],
    ['important', 'HIGH'],
    ['MEDIUM', 'MEDIUM'],
    ['moderate', 'MEDIUM'],
    ['MODERATE', 'MEDIUM'],
    ['low', 'LOW'],
    ['Negligible', 'LOW'],
    ['info', 'LOW'],
    ['informational', 'LOW'],
    ['none', 'LOW'],
    ['Unknown', 'UNKNOWN'],
    ['UNKNOWN', 'UNKNOWN'],
    ['', 'UNKNOWN'],
    ['severe', 'UNKNOWN'],
  ])('%j → %s', (word, expected) => {
    expect(normalizeSeverity(word)).toBe(expected);
  });

  it('treats a missing severity as UNKNOWN', () => {
    expect(normalizeSeverity(undefined)).toBe('UNKNOWN');
    expect(normalizeSeverity(7)).toBe('UNKNOWN');
  });
});

describe('severityFromScore', () => {
  it.each([
    [10, 'CRITICAL'],
    [9, 'CRITICAL'],
    [8.9, 'HIGH'],
    [7, 'HIGH'],
    [6.9, 'MEDIUM'],
    [4, 'MEDIUM'],
    [3.9, 'LOW'],
    [0.1, 'LOW'],
    [0, 'LOW'],
  ])('%d → %s', (score, expected) => {
    expect(severityFromScore(score)).toBe(expected);
  });

  it('has no band for no score', () => {
    expect(severityFromScore(undefined)).toBe('UNKNOWN');
    expect(severityFromScore(Number.NaN)).toBe('UNKNOWN');
  });
});

describe('cvssBaseScore', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', 5.6],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N', 0],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
    ['AV:N/AC:M/Au:N/C:N/I:P/A:N', 4.3],
  ])('%s → %d', (vector, score) => {
    expect(cvssBaseScore(vector)).toBe(score);
  });

  it('does not score CVSS 4 or broken vectors', () => {
    expect(cvssBaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeUndefined();
    expect(cvssBaseScore('CVSS:3.1/AV:N')).toBeUndefined();
    expect(cvssBaseScore('not a vector')).toBeUndefined();
  });
});

describe('toIsoUtc', () => {
  it.each([
    ['2021-08-25T12:20:30Z', '2021-08-25T12:20:30.000Z'],
    ['2021-08-25T12:20:30.000000005Z', '2021-08-25T12:20:30.000Z'],
    ['2023-07-17T18:28:47.696004345-06:00', '2023-07-18T00:28:47.696Z'],
    ['2020-04-13T20:20:39+00:00', '2020-04-13T20:20:39.000Z'],
    ['2025-11-15T11:51:49.548396-05:00', '2025-11-15T16:51:49.548Z'],
    ['2021-04-02T15:48:23', '2021-04-02T15:48:23.000Z'],
    ['2021-04-02 15:48:23', '2021-04-02T15:48:23.000Z'],
    ['2022-06-01', '2022-06-01T00:00:00.000Z'],
    ['2024-01-10T15:00:05+0530', '2024-01-10T09:30:05.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(toIsoUtc(input)).toBe(expected);
  });

  it.each(['yesterday', '2023-02-30', '2023-13-01', '', '10-19-2003', '1689176078'])('rejects %j', (input) => {
    expect(toIsoUtc(input)).toBeUndefined();
  });
});

describe('digests', () => {
  it('normalises algorithm names and hex values', () => {
    expect(['SHA-256', 'SHA256', 'sha256', 'SHA2_256', 'SHA-1', 'SHA-512', 'MD5', 'SHA3-256', 'BLAKE2b-256'].map(normalizeAlgorithm)).toEqual([
      'sha256',
      'sha256',
      'sha256',
      'sha256',
      'sha1',
      'sha512',
      'md5',
      'sha3-256',
      'blake2b-256',
    ]);
    expect(hashMap([{ alg: 'SHA-256', value: 'ABCDEF' }, { alg: 'sha256', value: 'ffff' }, { alg: 'SHA-1' }])).toEqual({ sha256: 'abcdef' });
  });
});
