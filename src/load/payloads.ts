// Evidence payloads (the normalised data policies read) are the bulk of the
// model: at size L two million SBOM components, most of them in earlier
// versions. With a blob cache on disk, a payload is held in memory only up to
// a budget and read again from the cache when a policy asks for it after
// being dropped; only policies read payloads, and only for verdicts that are
// not cached, so most are never read at all on a warm run.
import type { EvidenceData } from '../evidence/types.ts';
import type { EvidenceItem } from '../model/types.ts';

/** Payload JSON held in memory, in characters of its cached form (the heap holds about two to three times that). */
const defaultBudget = 64 * 1024 * 1024;

interface Held {
  data: EvidenceData;
  bytes: number;
}

/** A least-recently-used set of payloads, by cache key; process-wide, so that `history` shares it across commits. */
class PayloadMemory {
  private held = new Map<string, Held>();
  private used = 0;
  budget = defaultBudget;

  get(key: string): EvidenceData | undefined {
    const h = this.held.get(key);
    if (!h) return undefined;
    this.held.delete(key); // most recently used last
    this.held.set(key, h);
    return h.data;
  }

  put(key: string, data: EvidenceData, bytes: number): void {
    const old = this.held.get(key);
    if (old) {
      this.used -= old.bytes;
      this.held.delete(key);
    }
    this.held.set(key, { data, bytes });
    this.used += bytes;
    while (this.used > this.budget && this.held.size > 1) {
      const [oldest, h] = this.held.entries().next().value!;
      this.held.delete(oldest);
      this.used -= h.bytes;
    }
  }
}

export const payloadMemory = new PayloadMemory();

/**
 * Makes `item.data` lazy: served from memory while held, else by `reload`
 * (the blob cache, or the source read again). `reload` must give the same
 * data the item was read with: payloads are pure in (blob, file name, reader).
 * The getter lives on one prototype: a getter defined on each item would give
 * every item a hidden class of its own, and every read of any of its fields
 * would then miss V8's inline caches.
 */
export function lazyPayload(item: Omit<EvidenceItem, 'data'>, key: string, reload: () => { data: EvidenceData; bytes: number }): EvidenceItem {
  return Object.assign(new LazyItem(key, reload), item) as unknown as EvidenceItem;
}

const payloadKey = Symbol('payload key');
const payloadReload = Symbol('payload reload');

class LazyItem {
  // Symbol-keyed and not enumerable: not fields of the item, yet copied with its property descriptors.
  declare readonly [payloadKey]: string;
  declare readonly [payloadReload]: () => { data: EvidenceData; bytes: number };
  constructor(key: string, reload: () => { data: EvidenceData; bytes: number }) {
    Object.defineProperty(this, payloadKey, { value: key });
    Object.defineProperty(this, payloadReload, { value: reload });
  }

  get data(): EvidenceData {
    const held = payloadMemory.get(this[payloadKey]);
    if (held) return held;
    const { data, bytes } = this[payloadReload]();
    payloadMemory.put(this[payloadKey], data, bytes);
    return data;
  }

  /** `data` serialises as if it were an own field. */
  toJSON(): object {
    return { ...this, data: this.data };
  }
}
