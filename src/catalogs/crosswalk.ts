// The cross-framework map: two controls are related when they share a
// requirement, since one evaluation of that requirement shows up in both.
import { csv } from '../export/csv.ts';
import type { Framework, Relationship } from '../model/types.ts';

export type Strength = 'strong' | 'moderate' | 'weak';

export interface CrosswalkRow {
  control: string;
  other: string;
  strength: Strength;
  /** Shared requirements, each with how it relates to either control. */
  requirements: string[];
  relationships: { requirement: string; from: Relationship; to: Relationship }[];
}

const covers = (r: Relationship) => r === 'equal' || r === 'superset';

/**
 * strong: a shared requirement fully covers both controls (equal/superset on
 * both sides); moderate: it fully covers one of them or is a subset of one;
 * weak: the shared requirements only intersect.
 */
export function crosswalk(from: Framework, to: Framework): CrosswalkRow[] {
  const rows: CrosswalkRow[] = [];
  for (const a of from.controls) {
    for (const b of to.controls) {
      const relationships: CrosswalkRow['relationships'] = [];
      for (const ra of a.requirements) {
        const rb = b.requirements.find((r) => r.ref === ra.ref);
        if (rb && !relationships.some((x) => x.requirement === ra.ref)) relationships.push({ requirement: ra.ref, from: ra.relationship, to: rb.relationship });
      }
      if (!relationships.length) continue;
      relationships.sort((x, y) => (x.requirement < y.requirement ? -1 : 1));
      const strength: Strength = relationships.some((r) => covers(r.from) && covers(r.to))
        ? 'strong'
        : relationships.some((r) => covers(r.from) || covers(r.to) || r.from === 'subset' || r.to === 'subset')
          ? 'moderate'
          : 'weak';
      rows.push({ control: a.id, other: b.id, strength, requirements: relationships.map((r) => r.requirement), relationships });
    }
  }
  return rows;
}

export function crosswalkCsv(rows: CrosswalkRow[]): string {
  return csv(['control', 'other', 'strength', 'requirements'], rows.map((r) => [r.control, r.other, r.strength, r.requirements.join(' ')]));
}
