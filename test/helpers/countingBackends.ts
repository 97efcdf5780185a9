/**
 * openStore's real backends, counted: which modules were loaded and how
 * often a keyring was asked (available(), the probe that runs a helper
 * process). Given to openStore as its `backends`.
 */
import type { BackendModule } from "../../src/store/backendContext.ts";
import { BACKENDS, type BackendRegistry } from "../../src/store/openStore.ts";
import type { BackendName } from "../../src/store/SecretStore.ts";

export interface CountingBackends {
  readonly backends: BackendRegistry;
  /** Names whose module was loaded, in order. */
  readonly loaded: BackendName[];
  /** Names whose available() was called, in order. */
  readonly asked: BackendName[];
}

const NAMES: readonly BackendName[] = [
  "file",
  "keychain",
  "secret-service",
  "wincred",
  "keyutils",
  "pass",
];

export function countingBackends(): CountingBackends {
  const loaded: BackendName[] = [];
  const asked: BackendName[] = [];
  const backends: BackendRegistry = {};
  for (const name of NAMES) {
    const load = BACKENDS[name];
    if (load === undefined) continue;
    backends[name] = async () => {
      loaded.push(name);
      const real: BackendModule = await load();
      return {
        openBackend: (ctx) => real.openBackend(ctx),
        ...(real.available === undefined
          ? {}
          : {
              available: (ctx) => {
                asked.push(name);
                return real.available?.(ctx) ?? Promise.resolve(true);
              },
            }),
      };
    };
  }
  return { backends, loaded, asked };
}
