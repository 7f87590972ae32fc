// JSON Schemas (draft 2020-12) of every resource kind and of proof front
// matter. They are the source of `schemas/*.schema.json` (written by
// `npm run schemas`, checked by a test) which editors use through
// yaml-language-server's `$schema` comment.

type Schema = Record<string, unknown>;

const nameDef = { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$', maxLength: 253 };
const qualifiedRef = { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)?$' };
const periodicity = {
  type: 'string',
  description: 'hourly, daily, weekly, biweekly, monthly, quarterly, yearly, or an ISO 8601 duration (P6M, PT12H)',
  pattern: '^(hourly|daily|weekly|biweekly|monthly|quarterly|yearly|P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?)$',
};
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' };
const dateOrDateTime = {
  anyOf: [
    { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$' },
  ],
  description: 'YYYY-MM-DD or an ISO 8601 date-time; without a zone it is UTC',
};
const projectsScope = {
  project: nameDef,
  projects: { type: 'array', items: nameDef },
};

function envelope(kind: string, apiVersions: string[], spec: Schema, specRequired = true): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `evident ${kind}`,
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', ...(specRequired ? ['spec'] : [])],
    additionalProperties: false,
    properties: {
      apiVersion: { enum: apiVersions },
      kind: { const: kind },
      metadata: { $ref: '#/$defs/metadata' },
      spec,
    },
    $defs: {
      metadata: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: nameDef,
          displayName: { type: 'string' },
          description: { type: 'string' },
          annotations: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
          labels: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
        },
      },
      contractEntry: {
        type: 'object',
        required: ['ref'],
        additionalProperties: false,
        properties: {
          ref: { type: 'string', minLength: 1 },
          with: { type: 'object' },
          requirements: { type: 'array', items: qualifiedRef },
          name: { type: 'string' },
        },
      },
      section: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          id: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._()/-]*$' },
          description: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' } },
          requirements: { type: 'array', items: { $ref: '#/$defs/requirementRef' } },
          sections: { type: 'array', items: { $ref: '#/$defs/section' } },
        },
      },
      requirementRef: {
        type: 'object',
        required: ['ref'],
        additionalProperties: false,
        properties: {
          ref: nameDef,
          relationship: { enum: ['equal', 'subset', 'superset', 'intersects'] },
          rationale: { type: 'string' },
        },
      },
    },
  };
}

export const frameworkSchema = envelope('Framework', ['evident/v1', 'chainloop.dev/v1'], {
  type: 'object',
  additionalProperties: false,
  properties: {
    requirements: { type: 'array', items: { $ref: '#/$defs/requirementRef' } },
    sections: { type: 'array', items: { $ref: '#/$defs/section' } },
  },
});

export const requirementSchema = envelope('Requirement', ['evident/v1', 'chainloop.dev/v1'], {
  type: 'object',
  additionalProperties: false,
  properties: {
    active: { type: 'boolean', default: true },
    policies: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ref'],
        additionalProperties: false,
        properties: {
          ref: { type: 'string', minLength: 1 },
          with: { type: 'object' },
          periodicity,
          sla: { type: 'number', minimum: 0, description: 'hours a failure may last before it counts' },
        },
      },
    },
    manual_proofs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: nameDef,
          description: { type: 'string' },
          optional: { type: 'boolean', default: false },
          periodicity,
        },
      },
    },
  },
});

export const policySchema = envelope('Policy', ['evident/v1'], {
  type: 'object',
  required: ['kinds', 'violations'],
  additionalProperties: false,
  properties: {
    kinds: { type: 'array', minItems: 1, items: { type: 'string' } },
    with: { type: 'object', description: 'JSON Schema of the parameters' },
    violations: { type: 'string', minLength: 1, description: 'JSONata expression over each latest-run document' },
  },
});

export const contractSchema = envelope('Contract', ['evident/v1'], {
  type: 'object',
  additionalProperties: false,
  properties: {
    policies: { type: 'array', items: { $ref: '#/$defs/contractEntry' } },
  },
});

export const projectSchema = envelope(
  'Project',
  ['evident/v1'],
  {
    type: 'object',
    additionalProperties: false,
    properties: {
      evidence: { type: 'string', minLength: 1 },
      owner: { type: 'string' },
      public: { type: 'boolean', default: false },
      confidential: { type: 'boolean', default: false },
      contracts: { type: 'array', items: nameDef },
      policies: { type: 'array', items: { $ref: '#/$defs/contractEntry' } },
    },
  },
  false,
);

const scoped = (extra: Schema, required: string[]): Schema => ({
  type: 'object',
  required,
  additionalProperties: false,
  properties: { ...projectsScope, rationale: { type: 'string' }, ...extra },
});

export const productSchema = envelope('Product', ['evident/v1'], {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { type: ['string', 'number'] },
    owner: { type: 'string' },
    projects: { type: 'array', items: nameDef },
    frameworks: { type: 'array', items: nameDef },
    applicability: {
      type: 'array',
      items: {
        ...scoped({ requirement: qualifiedRef, control: { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?/.+$' } }, []),
        oneOf: [{ required: ['requirement'] }, { required: ['control'] }],
      },
    },
    exceptions: {
      type: 'array',
      items: scoped({ requirement: qualifiedRef, approvedBy: { type: 'string' }, owner: { type: 'string' }, expires: date }, ['requirement']),
    },
    overrides: {
      type: 'array',
      items: scoped({ requirement: qualifiedRef, status: { enum: ['PASSED', 'FAILED'] }, by: { type: 'string' }, date }, ['requirement', 'status']),
    },
  },
});

export const configSchema = envelope(
  'Config',
  ['evident/v1'],
  {
    type: 'object',
    additionalProperties: false,
    properties: {
      organization: { type: 'string' },
      autoMatch: { type: 'boolean', default: true },
      requireSignedEvidence: { type: 'boolean', default: false },
      signers: {
        type: 'object',
        additionalProperties: false,
        properties: { allowedSigners: { type: 'string' }, keyring: { type: 'string' } },
      },
      audit: {
        type: 'object',
        additionalProperties: false,
        properties: {
          period: { type: 'object', required: ['start', 'end'], additionalProperties: false, properties: { start: date, end: date } },
        },
      },
      portal: {
        type: 'object',
        additionalProperties: false,
        properties: { title: { type: 'string' }, baseUrl: { type: 'string', pattern: '^/' } },
      },
      limits: {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxFileBytes: { type: 'integer', minimum: 1 },
          policyMillis: { type: 'integer', minimum: 1 },
          maxFiles: { type: 'integer', minimum: 1 },
        },
      },
    },
  },
  false,
);

export const proofSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'evident manual proof front matter',
  type: 'object',
  required: ['requirement', 'proof'],
  additionalProperties: false,
  properties: {
    requirement: qualifiedRef,
    proof: nameDef,
    project: nameDef,
    product: nameDef,
    date: dateOrDateTime,
    result: { enum: ['pass', 'fail'], default: 'pass' },
    attachments: { type: 'array', items: { type: 'string', minLength: 1 } },
    public: { type: 'boolean', default: false },
    confidential: { type: 'boolean', default: false },
    title: { type: 'string' },
  },
};

export const resourceSchemas = {
  Framework: frameworkSchema,
  Requirement: requirementSchema,
  Policy: policySchema,
  Contract: contractSchema,
  Project: projectSchema,
  Product: productSchema,
  Config: configSchema,
} as const;

export type ResourceKind = keyof typeof resourceSchemas;
export const resourceKinds = Object.keys(resourceSchemas) as ResourceKind[];

/** One schema for any resource file, dispatching on `kind` (for editors). */
export const anyResourceSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'evident resource',
  type: 'object',
  required: ['apiVersion', 'kind'],
  properties: { kind: { enum: resourceKinds } },
  allOf: resourceKinds.map((kind) => ({
    if: { properties: { kind: { const: kind } }, required: ['kind'] },
    then: { ...resourceSchemas[kind], $schema: undefined, $id: schemaFileName(kind) },
  })),
};

export function schemaFileName(kind: string): string {
  return `${kind.toLowerCase()}.schema.json`;
}
