/**
 * What the keyring helper process (keyringHelperMain.ts) and its parent
 * (keyringProcess.ts) say to each other: one JSON line per request on the
 * helper's stdin, one JSON line per answer on its stdout. Values travel this
 * way, never in argv.
 */

/** Which store @napi-rs/keyring should use; Linux needs it pinned (no silent fallback). */
export type NativeStore = "secret-service" | "keyutils" | "keychain" | "wincred";

export type KeyringOp =
  | { readonly op: "get"; readonly account: string }
  | { readonly op: "set"; readonly account: string; readonly value: string }
  | { readonly op: "delete"; readonly account: string }
  /** Accounts of every credential of the service (values stay in the child). */
  | { readonly op: "find" }
  /** Adds (or removes) an account to the JSON list kept in the `account` item. */
  | { readonly op: "indexAdd"; readonly account: string; readonly entry: string }
  | { readonly op: "indexRemove"; readonly account: string; readonly entry: string };

export type KeyringResult = string | boolean | null | readonly string[];

export interface KeyringRequest {
  readonly store: NativeStore;
  readonly service: string;
  readonly ops: readonly KeyringOp[];
}

/** One answer line: the results of every op in order, or the first failure's message. */
export type KeyringAnswer =
  | { readonly ok: true; readonly results: readonly KeyringResult[] }
  | { readonly ok: false; readonly message: string };

const STORES: readonly string[] = ["secret-service", "keyutils", "keychain", "wincred"];

function isOp(v: unknown): v is KeyringOp {
  if (typeof v !== "object" || v === null || !("op" in v)) return false;
  const str = (key: string): boolean => typeof Reflect.get(v, key) === "string";
  switch (v.op) {
    case "find":
      return true;
    case "get":
    case "delete":
      return str("account");
    case "set":
      return str("account") && str("value");
    case "indexAdd":
    case "indexRemove":
      return str("account") && str("entry");
    default:
      return false;
  }
}

/** The helper's check of a request line (they come from its parent; a bad one is a bug). */
export function isKeyringRequest(v: unknown): v is KeyringRequest {
  return (
    typeof v === "object" &&
    v !== null &&
    "store" in v &&
    typeof v.store === "string" &&
    STORES.includes(v.store) &&
    "service" in v &&
    typeof v.service === "string" &&
    "ops" in v &&
    Array.isArray(v.ops) &&
    v.ops.every(isOp)
  );
}
