/**
 * A size-bounded memo for pure computations over immutable inputs (e.g. a quote for the same request against the
 * same rule book). When full, the oldest entry is dropped; a Map keeps insertion order.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly sizeMax: number) {}

  getOrCompute(key: string, compute: () => V): V {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      return hit;
    }
    const value = compute();
    if (this.#entries.size >= this.sizeMax) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) {
        this.#entries.delete(oldest.value);
      }
    }
    this.#entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Makes room in an insertion-ordered map before one more entry: drops the leading entries that are `stale` (entries
 * are inserted in time order, so the first fresh one ends the sweep), then the oldest until fewer than `max` remain.
 */
export function evictStaleAndOldest<K, V>(entries: Map<K, V>, stale: (entry: V) => boolean, max: number): void {
  for (const [key, entry] of entries) {
    if (!stale(entry)) {
      break;
    }
    entries.delete(key);
  }
  while (entries.size >= max) {
    const oldest = entries.keys().next();
    if (oldest.done) {
      break;
    }
    entries.delete(oldest.value);
  }
}
