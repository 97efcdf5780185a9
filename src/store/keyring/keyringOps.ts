/**
 * The keyring operations over @napi-rs/keyring, one request at a time:
 * what the helper process runs (keyringHelperMain.ts) and what the keyutils
 * store runs in this process (keyringInProcess.ts). One implementation, so
 * both name and format items the same way. Synchronous: the napi calls are.
 */
import type { Entry as NapiEntry, findCredentials as napiFindCredentials } from "@napi-rs/keyring";
import type { KeyringRequest, KeyringResult } from "./keyringProtocol.ts";

/** The part of @napi-rs/keyring used here. */
export interface NativeKeyring {
  readonly Entry: typeof NapiEntry;
  readonly findCredentials: typeof napiFindCredentials;
}

export function runNativeOps(native: NativeKeyring, req: KeyringRequest): KeyringResult[] {
  const { Entry, findCredentials } = native;
  // Linux has two stores; pin the one asked for (no silent fallback).
  const opts =
    req.store === "secret-service" || req.store === "keyutils"
      ? { linux: { store: req.store } }
      : undefined;
  const entry = (account: string) => new Entry(req.service, account, opts);
  const readIndex = (account: string): unknown[] => {
    const v = entry(account).getPassword();
    const list: unknown = typeof v === "string" ? JSON.parse(v) : [];
    if (!Array.isArray(list)) throw new Error(`the index item ${account} is not a JSON list`);
    return list;
  };
  return req.ops.map((o): KeyringResult => {
    switch (o.op) {
      case "get":
        return entry(o.account).getPassword();
      case "set":
        entry(o.account).setPassword(o.value);
        return null;
      case "delete":
        return entry(o.account).deleteCredential();
      case "find":
        return findCredentials(req.service).map((c) => c.account);
      case "indexAdd":
      case "indexRemove": {
        const list = readIndex(o.account).filter((e) => e !== o.entry);
        if (o.op === "indexAdd") list.push(o.entry);
        if (list.length === 0) entry(o.account).deleteCredential();
        else entry(o.account).setPassword(JSON.stringify(list));
        return null;
      }
    }
  });
}
