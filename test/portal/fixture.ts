// The portal tests' content: a temporary copy of test/fixtures/scenario with
// a confidential project and proof carrying a canary string (in names, file
// names, bodies, attachments and evidence contents), a public project whose
// violations may be shown, and a public proof that tries to run script.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { Report } from '../../src/evaluate/report-types.ts';
import { loadModel } from '../../src/load/load-model.ts';
import type { Model } from '../../src/model/types.ts';
import { commit, gitInit, repoRoot, tempDir, writeTree } from '../helpers.ts';

export const NOW = '2026-11-22T00:00:00Z';
export const CANARY = 'canary7f3a';
export const CONFIDENTIAL_PROJECT = `secret-${CANARY}`;
export const CONFIDENTIAL_EVIDENCE = `evidence/${CONFIDENTIAL_PROJECT}/${CANARY}-junit.xml`;
export const CONFIDENTIAL_PROOF = `proofs/${CANARY}-review.md`;
export const CONFIDENTIAL_ATTACHMENT = `proofs/${CANARY}-attachment.txt`;
export const PUBLIC_VIOLATION = 'oss-visible-violation';
export const PRIVATE_VIOLATION = 'expected 200, got 500'; // web's failing test: web is not public

const junit = (suite: string, failing: string) => `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="ci" tests="2" failures="1" errors="0" time="0.5" timestamp="2026-11-20T09:00:00.000Z">
  <testsuite name="${suite}" timestamp="2026-11-20T09:00:00.000Z" hostname="ci" tests="2" failures="1" errors="0" skipped="0" time="0.5">
    <testcase classname="${suite}" name="works" time="0.1"/>
    <testcase classname="${suite}" name="${failing}" time="0.2">
      <failure message="${failing}" type="AssertionError">${failing}</failure>
    </testcase>
  </testsuite>
</testsuites>
`;

export interface PortalFixture {
  root: string;
  model: Model;
  report: Report;
  /** Strings that must not appear anywhere in a public build. */
  secrets: string[];
}

export async function portalFixture(): Promise<PortalFixture> {
  const root = tempDir('evident-portal-fixture-');
  cpSync(path.join(repoRoot, 'test/fixtures/scenario'), root, { recursive: true });
  const products = readFileSync(path.join(root, 'products/acme.yaml'), 'utf8').replace('projects: [api, web, cli]', `projects: [api, web, cli, oss, ${CONFIDENTIAL_PROJECT}]`);
  const files: Record<string, string> = {
    'products/acme.yaml': products,
    'projects/extra.yaml': `apiVersion: evident/v1
kind: Project
metadata: {name: oss}
spec:
  public: true
  policies: [{ref: tests-passed}]
---
apiVersion: evident/v1
kind: Project
metadata: {name: ${CONFIDENTIAL_PROJECT}}
spec:
  confidential: true
  owner: ${CANARY}-owner@acme.example
  contracts: [api-contract]
`,
    'evidence/oss/junit.xml': junit('oss.test.ts', PUBLIC_VIOLATION),
    [CONFIDENTIAL_EVIDENCE]: junit(`${CANARY}.test.ts`, `CANARY-${CANARY}-EVIDENCE-CONTENT`),
    [CONFIDENTIAL_PROOF]: `---
requirement: sec-review
proof: review
project: ${CONFIDENTIAL_PROJECT}
date: 2026-10-01
confidential: true
attachments: [${CANARY}-attachment.txt]
---
# Review of ${CANARY}

CANARY-${CANARY}-BODY: the confidential findings.
`,
    [CONFIDENTIAL_ATTACHMENT]: `CANARY-${CANARY}-ATTACHMENT\n`,
    'proofs/xss.md': `---
requirement: sec-review
proof: notes
project: api
date: 2026-10-02
public: true
---
# Notes

<script>alert("xss-script")</script>

<img src="x" onerror="alert('xss-onerror')">

[click me](javascript:alert('xss-link')) and [a fine link](https://example.org/ok).
`,
  };
  writeTree(root, files);
  gitInit(root);
  commit(root, '2026-11-01T00:00:00Z', {});
  const { model } = await loadModel(root);
  const { report } = await evaluate(model, { now: NOW, version: '0.0.0-test' });
  const sha = (rel: string) => createHash('sha256').update(readFileSync(path.join(root, rel))).digest('hex');
  const secrets = [
    CANARY,
    CONFIDENTIAL_EVIDENCE,
    path.basename(CONFIDENTIAL_EVIDENCE),
    path.basename(CONFIDENTIAL_PROOF),
    path.basename(CONFIDENTIAL_ATTACHMENT),
    sha(CONFIDENTIAL_EVIDENCE),
    sha(CONFIDENTIAL_PROOF),
    sha(CONFIDENTIAL_ATTACHMENT),
  ];
  return { root, model, report, secrets };
}

/** Every file under dir (relative paths, sorted). */
export function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** A file's bytes as text, gunzipped first when compressed (Pagefind's index files are). */
export function readSearchable(file: string): string {
  const bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('latin1');
    } catch {
      return bytes.toString('latin1');
    }
  }
  return bytes.toString('latin1');
}
