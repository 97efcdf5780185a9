/**
 * A read-only map that answers from `extra` for the keys `base` lacks,
 * without copying `base` (which may build its values lazily, as the
 * config's profiles do). Iteration: base's entries, then extra's.
 */
export class OverlayMap<K, V> implements ReadonlyMap<K, V> {
  readonly #base: ReadonlyMap<K, V>;
  readonly #extra: ReadonlyMap<K, V>;

  /** `extra` must not share keys with `base`. */
  constructor(base: ReadonlyMap<K, V>, extra: ReadonlyMap<K, V>) {
    this.#base = base;
    this.#extra = extra;
  }

  get size(): number {
    return this.#base.size + this.#extra.size;
  }

  has(key: K): boolean {
    return this.#base.has(key) || this.#extra.has(key);
  }

  get(key: K): V | undefined {
    return this.#base.has(key) ? this.#base.get(key) : this.#extra.get(key);
  }

  *entries(): MapIterator<[K, V]> {
    yield* this.#base.entries();
    yield* this.#extra.entries();
  }

  *keys(): MapIterator<K> {
    yield* this.#base.keys();
    yield* this.#extra.keys();
  }

  *values(): MapIterator<V> {
    yield* this.#base.values();
    yield* this.#extra.values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
