/**
 * A read-only map answered one key at a time: `get` and `has` ask `one`
 * for that key (once; the answer is kept), iterating and `size` ask `all`
 * for the whole map (once). The config's profiles, services and
 * sso-sessions are such maps: a cached credential_process reads a few of
 * thousands, `list` reads them all.
 */
export class LazyMap<V> implements ReadonlyMap<string, V> {
  readonly #one: (key: string) => V | undefined;
  readonly #all: () => ReadonlyMap<string, V>;
  readonly #seen = new Map<string, V | undefined>();
  #whole: ReadonlyMap<string, V> | undefined;

  constructor(one: (key: string) => V | undefined, all: () => ReadonlyMap<string, V>) {
    this.#one = one;
    this.#all = all;
  }

  get(key: string): V | undefined {
    if (!this.#seen.has(key)) this.#seen.set(key, this.#one(key));
    return this.#seen.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.#every().size;
  }

  entries(): MapIterator<[string, V]> {
    return this.#every().entries();
  }

  keys(): MapIterator<string> {
    return this.#every().keys();
  }

  values(): MapIterator<V> {
    return this.#every().values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  #every(): ReadonlyMap<string, V> {
    this.#whole ??= this.#all();
    return this.#whole;
  }
}
