/**
 * Where long-term keys and cached sessions live. Every backend (encrypted
 * file, OS keyrings, pass) implements this contract, and the same contract
 * test suite runs against each one.
 *
 * Values are opaque strings to the store (the callers put JSON in them).
 * Names are profile names or cache keys: printable, without NUL; backends
 * that need a restricted charset encode them losslessly.
 */
/** "vault-token": the Vault token 'awsmfa vault login' got, per Vault address. */
export type ItemKind = "keys" | "session" | "vault-token";

export interface ItemRef {
  readonly kind: ItemKind;
  readonly name: string;
}

export type BackendName = "file" | "keychain" | "secret-service" | "wincred" | "keyutils" | "pass";

export interface SecretStore {
  readonly backend: BackendName;
  /** The value, or undefined when there is no such item. Any other failure throws. */
  get(kind: ItemKind, name: string): Promise<string | undefined>;
  /** Creates or replaces the item. */
  set(kind: ItemKind, name: string, value: string): Promise<void>;
  /** true when an item was removed, false when there was none. */
  remove(kind: ItemKind, name: string): Promise<boolean>;
  /** Every item, or every item of one kind. Never reads the values. */
  list(kind?: ItemKind): Promise<ItemRef[]>;
  /**
   * Backends with a passphrase (the file store): ask for it and derive the
   * key now (`awsmfa unlock`), handing it to the agent. Others have none.
   */
  unlock?(): Promise<void>;
}

/** What the "keys" items hold (JSON). */
export interface StoredKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** ISO 8601; when the keys were stored. */
  readonly addedAt?: string;
}

/** What the "session" items hold (JSON). */
export interface StoredSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ISO 8601 */
  readonly expiration: string;
}

/** The JSON object a stored value holds, or undefined when it is not one. */
function parseObject(raw: string): object | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return typeof v === "object" && v !== null ? v : undefined;
}

const stringField = (o: object, k: string): string | undefined => {
  const v: unknown = Reflect.get(o, k);
  return typeof v === "string" ? v : undefined;
};

/** A "keys" item's value, or undefined when it is not one (never throws). */
export function parseStoredKeys(raw: string): StoredKeys | undefined {
  const o = parseObject(raw);
  if (o === undefined) return undefined;
  const accessKeyId = stringField(o, "accessKeyId");
  const secretAccessKey = stringField(o, "secretAccessKey");
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  const addedAt = stringField(o, "addedAt");
  return { accessKeyId, secretAccessKey, ...(addedAt === undefined ? {} : { addedAt }) };
}

/** A "session" item's value with a valid expiration, or undefined (never throws). */
export function parseStoredSession(raw: string): StoredSession | undefined {
  const o = parseObject(raw);
  if (o === undefined) return undefined;
  const accessKeyId = stringField(o, "accessKeyId");
  const secretAccessKey = stringField(o, "secretAccessKey");
  const sessionToken = stringField(o, "sessionToken");
  const expiration = stringField(o, "expiration");
  if (
    accessKeyId === undefined ||
    secretAccessKey === undefined ||
    sessionToken === undefined ||
    expiration === undefined ||
    Number.isNaN(Date.parse(expiration))
  ) {
    return undefined;
  }
  return { accessKeyId, secretAccessKey, sessionToken, expiration };
}
