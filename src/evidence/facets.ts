// What an evidence payload holds, in a few numbers, so that deciding whether a
// policy can use an item does not need the payload itself (which may be on
// disk only: src/load/payloads.ts).
import type { EvidenceData } from './types.ts';

/** Each field of the payload that is present: the length of a list, else 1. */
export type Facets = Partial<Record<keyof EvidenceData, number>>;

export function facetsOf(data: EvidenceData): Facets {
  const out: Facets = {};
  for (const [k, v] of Object.entries(data) as [keyof EvidenceData, unknown][]) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.length : 1;
  }
  return out;
}
