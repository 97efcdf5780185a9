import type { BackendName, ItemKind, ItemRef, SecretStore } from "../../src/store/SecretStore.ts";

/** An in-memory SecretStore: the fake at the store's edge. */
export function memoryStore(backend: BackendName = "file"): SecretStore {
  const items = new Map<string, ItemRef & { readonly value: string }>();
  const key = (kind: ItemKind, name: string) => `${kind}\0${name}`;
  return {
    backend,
    get: (kind, name) => Promise.resolve(items.get(key(kind, name))?.value),
    set: (kind, name, value) => {
      items.set(key(kind, name), { kind, name, value });
      return Promise.resolve();
    },
    remove: (kind, name) => Promise.resolve(items.delete(key(kind, name))),
    list: (kind) =>
      Promise.resolve(
        [...items.values()]
          .filter((r) => kind === undefined || r.kind === kind)
          .map((r) => ({ kind: r.kind, name: r.name })),
      ),
  };
}
