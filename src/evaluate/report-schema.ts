// JSON Schema (draft 2020-12) of the report that `evaluate --format json`
// prints and `build` writes as report.json. Tests validate every report.
import { statuses } from './report-types.ts';

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' };
const nullableInstant = { anyOf: [instant, { type: 'null' }] };
const status = { enum: [...statuses] };
const partStatus = { enum: ['PASSED', 'GRACE', 'EXPIRED', 'MISSING', 'FAILED'] };
const score = { anyOf: [{ type: 'number', minimum: 0, maximum: 1 }, { type: 'null' }] };
const counts = { type: 'object', additionalProperties: false, required: [...statuses], properties: Object.fromEntries(statuses.map((s) => [s, { type: 'integer', minimum: 0 }])) };
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', additionalProperties: false, required: Object.keys(properties), properties, ...extra });

const evaluation = obj({
  policy: str,
  with: { type: 'object' },
  status: { enum: ['PASSED', 'FAILED', 'SKIPPED'] },
  violations: { type: 'array', items: str },
  reason: nullableStr,
  timestamp: nullableInstant,
  evidence: { type: 'array', items: str },
  firstFailure: nullableInstant,
});

const proof = obj({
  file: str,
  date: nullableInstant,
  result: { enum: ['pass', 'fail'] },
  scope: { enum: ['project', 'product', 'org'] },
  commit: nullableStr,
  signed: { type: 'boolean' },
  signer: nullableStr,
  sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
});

const part = obj({
  type: { enum: ['policy', 'proof'] },
  name: str,
  project: nullableStr,
  status: partStatus,
  optional: { type: 'boolean' },
  match: { enum: ['auto', 'explicit', null] },
  with: { type: ['object', 'null'] },
  evaluation: { anyOf: [evaluation, { type: 'null' }] },
  proof: { anyOf: [proof, { type: 'null' }] },
  evidence: { type: 'array', items: str },
  message: str,
  expires: nullableInstant,
  graceUntil: nullableInstant,
});

const changedBy = { anyOf: [obj({ sha: str, date: instant, author: str, signed: { type: 'boolean' }, signer: nullableStr }), { type: 'null' }] };

const result = obj({
  requirement: str,
  project: nullableStr,
  status,
  underlying: { anyOf: [status, { type: 'null' }] },
  overridden: { type: 'boolean' },
  override: {
    anyOf: [obj({ changedBy, status: { enum: ['PASSED', 'FAILED'] }, rationale: nullableStr, by: nullableStr, date: nullableStr, source: str }), { type: 'null' }],
  },
  exception: { anyOf: [obj({ changedBy, rationale: nullableStr, approvedBy: nullableStr, owner: nullableStr, expires: nullableStr, source: str }), { type: 'null' }] },
  rationale: nullableStr,
  parts: { type: 'array', items: part },
});

const control = obj({
  id: str,
  name: str,
  path: { type: 'array', items: str },
  tags: { type: 'array', items: str },
  status,
  score,
  addressed: { enum: ['full', 'partial', 'none'] },
  explanation: str,
  applicable: { type: 'boolean' },
  rationale: nullableStr,
  requirements: { type: 'array', items: obj({ ref: str, relationship: { enum: ['equal', 'subset', 'superset', 'intersects'] }, rationale: nullableStr, resolved: { type: 'boolean' }, status }) },
});

export const reportSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'evident report',
  ...obj({
    schemaVersion: { const: 1 },
    generator: obj({ name: { const: 'evident' }, version: str }),
    now: instant,
    commit: { anyOf: [obj({ sha: { type: 'string', pattern: '^[0-9a-f]{40}$' }, date: instant, dirty: { type: 'boolean' } }), { type: 'null' }] },
    organization: nullableStr,
    products: {
      type: 'array',
      items: obj({
        name: str,
        displayName: str,
        version: nullableStr,
        owner: nullableStr,
        projects: { type: 'array', items: str },
        score,
        counts,
        results: { type: 'array', items: result },
        frameworks: { type: 'array', items: obj({ name: str, displayName: str, score, counts, controls: { type: 'array', items: control } }) },
        timeline: {
          type: 'array',
          items: obj({
            requirement: str,
            project: nullableStr,
            type: { enum: ['policy', 'proof'] },
            name: str,
            periodicity: str,
            intervals: { type: 'array', items: obj({ start: instant, end: instant }) },
            gaps: { type: 'array', items: obj({ start: instant, end: instant }) },
          }),
        },
      }),
    },
    diagnostics: obj({ errors: { type: 'integer' }, warnings: { type: 'integer' }, notes: { type: 'integer' } }),
  }),
};
