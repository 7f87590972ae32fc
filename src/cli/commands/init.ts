// `evident init [dir]`: the one command that writes into a content root.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from '../args.ts';
import { FatalError, type CommandIO } from '../io.ts';

export const usage = 'usage: evident init [dir]';

const files: Record<string, string> = {
  'evident.yaml': `# yaml-language-server: $schema=../node_modules/evident/schemas/resource.schema.json
apiVersion: evident/v1
kind: Config
metadata:
  name: example
spec:
  organization: Example Org
  autoMatch: true
  portal:
    title: Example Trust Center
    baseUrl: /
`,
  'products/example-product.yaml': `apiVersion: evident/v1
kind: Product
metadata:
  name: example-product
  displayName: Example Product
spec:
  version: 1.0.0
  owner: security@example.org
  projects: [example-service]
  frameworks: [best-practices]
---
apiVersion: evident/v1
kind: Project
metadata:
  name: example-service
spec:
  evidence: evidence/example-service
  owner: team@example.org
  contracts: [default-contract]
---
apiVersion: evident/v1
kind: Contract
metadata:
  name: default-contract
  description: What this service's CI uploads and how it is judged.
spec:
  policies:
    - ref: sbom-present
    - ref: vulnerabilities
      with: {severity: HIGH}
    - ref: tests-passed
`,
  'proofs/security-review.md': `---
requirement: security-review
proof: design-security-review
product: example-product
date: 2026-01-15
result: pass
---
# Design security review of example-product

Describe who reviewed what, when, the findings and their follow-up.
`,
};

export async function init(args: string[], io: CommandIO): Promise<number> {
  const { positionals } = parse(args, {}, usage, { min: 0, max: 1 });
  const dir = path.resolve(io.cwd, positionals[0] ?? 'content');
  let existing: string[] = [];
  try {
    existing = await readdir(dir);
  } catch {
    /* does not exist yet */
  }
  if (existing.length) throw new FatalError(`${dir} is not empty; init writes only into a new or empty folder.`);
  for (const [rel, text] of Object.entries(files)) {
    const target = path.join(dir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text, { flag: 'wx' });
  }
  io.stdout(`Created a content repo in ${dir}: ${Object.keys(files).length} files.\nPut CI evidence (SBOMs, scans, SARIF, JUnit, provenance) in ${path.join(dir, 'evidence/example-service')}/.\nNext: evident validate --content ${dir}\n`);
  return 0;
}
