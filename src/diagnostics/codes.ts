// The catalog of diagnostic codes. Codes are permanent names: never rename or
// reuse one. Every code has a title and a hint here and an entry in
// docs/diagnostics.md (a test checks both).

export interface CodeInfo {
  title: string;
  hint?: string;
}

export const codes = {
  // Files and the content root
  'file-too-large': { title: 'File exceeds the size limit', hint: 'Raise Config.spec.limits.maxFileBytes or keep large files out of the content root.' },
  'file-not-utf8': { title: 'File is not valid UTF-8', hint: 'Save the file as UTF-8.' },
  'file-empty': { title: 'File is empty', hint: 'Remove the file or give it content.' },
  'file-unreadable': { title: 'File cannot be read', hint: 'Check permissions and that the file still exists.' },
  'symlink-outside-root': { title: 'Symbolic link leaves the content root', hint: 'evident reads nothing outside the content root; copy the file in instead.' },
  'too-many-files': { title: 'Too many files in the content root', hint: 'Raise Config.spec.limits.maxFiles or split the repository.' },
  'path-outside-root': { title: 'Path leaves the content root', hint: 'Paths must stay inside the content root: no "..", no absolute paths.' },
  // Git
  'not-a-git-repo': { title: 'Content root is not inside a git work tree', hint: 'Commit dates, authors and signatures are unavailable; run inside a git clone for auditable results.' },
  'git-failed': { title: 'git could not be read', hint: 'Check that git is installed and the repository is not corrupt.' },
  'shallow-clone': { title: 'Shallow clone: history is incomplete', hint: 'Fetch the full history: `git fetch --unshallow` (CI: fetch-depth: 0).' },
  // YAML and Markdown syntax
  'yaml-syntax': { title: 'YAML syntax error', hint: 'Fix the YAML at the position shown.' },
  'yaml-duplicate-key': { title: 'Duplicate key in a YAML mapping', hint: 'Each key may appear once per mapping; remove or rename one.' },
  'yaml-alias-limit': { title: 'Too many YAML alias expansions', hint: 'The document expands aliases beyond the limit (an "alias bomb"); write the data out.' },
  'yaml-depth-limit': { title: 'YAML nesting too deep', hint: 'Flatten the document.' },
  'front-matter-syntax': { title: 'Front matter is not valid YAML', hint: 'Fix the YAML between the --- lines.' },
  // Resources
  'missing-kind': { title: 'YAML document has no apiVersion and kind', hint: 'Add `apiVersion: evident/v1` and `kind:` to make it a resource; it is skipped.' },
  'unknown-kind': { title: 'Unknown resource kind', hint: 'Known kinds: Framework, Requirement, Policy, Contract, Product, Project, Config.' },
  'unknown-api-version': { title: 'Unknown apiVersion', hint: 'Use evident/v1 (Framework and Requirement also accept chainloop.dev/v1).' },
  'schema-invalid': { title: 'Resource does not match its schema', hint: 'See the schema in schemas/ for the accepted shape.' },
  'schema-unknown-field': { title: 'Unknown field', hint: 'The field is ignored; check its spelling, or upgrade evident if it is newer.' },
  'duplicate-name': { title: 'Duplicate resource name', hint: 'Names are unique per kind; rename one of them.' },
  'duplicate-requirement-ref': { title: 'Requirement listed twice in a chainloop.dev/v1 framework', hint: 'Chainloop allows a requirement once per framework; use evident/v1 to map it to several controls.' },
  'duplicate-control-id': { title: 'Duplicate control id in a framework', hint: 'Give each section its own id.' },
  'multiple-configs': { title: 'More than one Config', hint: 'Keep a single Config (conventionally in evident.yaml).' },
  'unresolved-reference': { title: 'Reference to an unknown resource', hint: 'Check the name; the part that needs it is shown as MISSING.' },
  'builtin-replaced': { title: 'Content resource replaces a built-in one' },
  'chainloop-rego-policy': { title: 'Chainloop Rego policy is not executed', hint: 'evident does not run Rego; write the check as a declarative evident Policy (JSONata) or use a built-in policy.' },
  'chainloop-remote-ref': { title: 'Chainloop policy reference by file or URL is not followed', hint: 'evident never fetches policies; reference a built-in or content policy by name.' },
  'invalid-periodicity': { title: 'Invalid periodicity', hint: 'Use hourly, daily, weekly, biweekly, monthly, quarterly, yearly, or an ISO 8601 duration such as P6M.' },
  'policy-parameters': { title: 'Policy parameters do not match the policy schema', hint: 'See `evident policies <name>` for the parameters.' },
  'invalid-scope': { title: 'Conflicting scope', hint: 'Use either project/projects or product, not both.' },
  // Proofs
  'proof-front-matter': { title: 'Manual proof front matter is invalid' },
  'proof-unknown-proof': { title: 'Proof name is not a manual proof of the requirement', hint: 'Use a name from the requirement\'s spec.manual_proofs.' },
  'proof-date-from-mtime': { title: 'Proof date taken from the file modification time', hint: 'Commit the file or give it a `date:`; mtimes are not auditable.' },
  'attachment-missing': { title: 'Attachment not found', hint: 'Commit the attachment next to the proof or fix the path.' },
  // Evidence
  'evidence-parse-error': { title: 'Evidence file does not parse', hint: 'The file claims a format (by extension or first bytes) but is malformed; regenerate it.' },
  'evidence-invalid': { title: 'Evidence does not have the shape of its format', hint: 'Regenerate the file with its tool; run `validate --strict-evidence` for a full schema check.' },
  'evidence-unsupported-format': { title: 'Recognised but unsupported evidence format', hint: 'It is kept as a plain file; convert it to a supported format to have policies read it.' },
  'evidence-lfs-pointer': { title: 'Git LFS pointer instead of evidence', hint: 'Run `git lfs pull` so the real file is present.' },
  'evidence-no-project': { title: 'Evidence folder belongs to no project', hint: 'Name the folder after a project, or set the project\'s spec.evidence.' },
  'evidence-future-timestamp': { title: 'Evidence timestamped after now is ignored' },
  'evidence-timestamp-from-mtime': { title: 'Evidence timestamp taken from the file modification time', hint: 'Commit the file so its commit date can be used.' },
  'evidence-schema': { title: 'Evidence fails its official JSON schema (--strict-evidence)' },
  'evidence-xml-entities': { title: 'XML with a DOCTYPE or entity declarations', hint: 'Entity expansion is off; remove the DOCTYPE.' },
  // Policies
  'policy-expression-syntax': { title: 'Policy expression does not parse', hint: 'Check the JSONata syntax of spec.violations.' },
  'policy-expression-error': { title: 'Policy expression failed', hint: 'The expression threw while reading the evidence; the evaluation is FAILED with the reason.' },
  'policy-expression-timeout': { title: 'Policy expression ran out of time', hint: 'Simplify the expression or raise Config.spec.limits.policyMillis.' },
  'policy-unknown-kind': { title: 'Unknown evidence kind in a policy', hint: 'Use the evidence kinds of `evident evidence`.' },
  'public-key-unreadable': { title: 'Key or trusted root cannot be read' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof codes;
