/**
 * The on-disk format of the file store (README.md describes it for humans):
 * `store.json` (format version, KDF and its parameters, salt, key check) and
 * one JSON file per item. Parsing is strict: anything we would not have
 * written is reported as tampered, naming the file.
 */
import { AwsmfaError } from "../../errors.ts";
import type { ItemKind } from "../SecretStore.ts";
import {
  NONCE_LENGTH,
  SALT_LENGTH,
  TAG_LENGTH,
  open,
  saneScryptParams,
  seal,
  type ScryptParams,
  type Sealed,
} from "./crypto.ts";

export const FORMAT = "awsmfa-file-store";
export const VERSION = 1;
export const CIPHER = "aes-256-gcm";
export const HEADER_FILE = "store.json";

export interface StoreHeader {
  readonly scrypt: ScryptParams;
  readonly salt: Buffer;
  readonly check: Sealed;
}

export interface ItemFile {
  readonly sealed: Sealed;
  /** Present only for items whose file name is a hash (names.ts). */
  readonly name?: string;
}

const CHECK_PLAINTEXT = Buffer.from("awsmfa-file-store key check", "utf8");

/** Binds the key check to every header field: editing one fails the check. */
function checkAad(h: Omit<StoreHeader, "check">): Buffer {
  const fields = [
    FORMAT,
    VERSION,
    "scrypt",
    h.scrypt.N,
    h.scrypt.r,
    h.scrypt.p,
    b64(h.salt),
    CIPHER,
  ];
  return Buffer.from(`${FORMAT}/${VERSION}/check\n${JSON.stringify(fields)}`, "utf8");
}

/** Binds an item's ciphertext to its kind and name: a renamed or swapped file fails. */
export function itemAad(kind: ItemKind, name: string): Buffer {
  return Buffer.from(`${FORMAT}/${VERSION}/item\n${JSON.stringify([kind, name])}`, "utf8");
}

export function makeHeader(scrypt: ScryptParams, salt: Buffer, key: Buffer): StoreHeader {
  return { scrypt, salt, check: seal(key, CHECK_PLAINTEXT, checkAad({ scrypt, salt })) };
}

/** true when key is the one the header was made with. */
export function keyMatches(header: StoreHeader, key: Buffer): boolean {
  const plain = open(key, header.check, checkAad(header));
  // GCM already compared the tag in constant time; this only guards the constant.
  return plain?.equals(CHECK_PLAINTEXT) ?? false;
}

export function serializeHeader(h: StoreHeader): string {
  const doc = {
    format: FORMAT,
    version: VERSION,
    kdf: { name: "scrypt", N: h.scrypt.N, r: h.scrypt.r, p: h.scrypt.p, salt: b64(h.salt) },
    cipher: CIPHER,
    check: { nonce: b64(h.check.nonce), ciphertext: b64(h.check.ciphertext) },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function serializeItem(item: ItemFile): string {
  const doc = {
    version: VERSION,
    ...(item.name === undefined ? {} : { name: item.name }),
    nonce: b64(item.sealed.nonce),
    ciphertext: b64(item.sealed.ciphertext),
  };
  return `${JSON.stringify(doc)}\n`;
}

export function parseHeader(text: string, path: string): StoreHeader {
  const doc = parseObject(text, path);
  if (doc.format !== FORMAT) throw tampered(path, "it is not an awsmfa file store header");
  if (typeof doc.version === "number" && doc.version > VERSION) {
    throw new AwsmfaError(
      "E_STORE_VERSION",
      `The awsmfa file store ${path} has format version ${doc.version}; this awsmfa reads version ${VERSION}.`,
      { hint: "Upgrade awsmfa to open this store." },
    );
  }
  if (doc.version !== VERSION) throw tampered(path, "its version field is not valid");
  if (doc.cipher !== CIPHER) throw tampered(path, "its cipher is not aes-256-gcm");
  const kdf = doc.kdf;
  if (!isRecord(kdf) || kdf.name !== "scrypt") throw tampered(path, "its kdf is not scrypt");
  const { N, r, p } = kdf;
  if (typeof N !== "number" || typeof r !== "number" || typeof p !== "number") {
    throw tampered(path, "its scrypt parameters are missing");
  }
  const scrypt = { N, r, p };
  if (!saneScryptParams(scrypt)) {
    throw tampered(path, `its scrypt parameters N=${N} r=${r} p=${p} are out of range`);
  }
  const salt = unb64(kdf.salt);
  if (salt === undefined || salt.length < SALT_LENGTH || salt.length > 64) {
    throw tampered(path, "its salt is not valid");
  }
  const check = parseSealed(doc.check);
  if (check === undefined) throw tampered(path, "its key check is not valid");
  return { scrypt, salt, check };
}

export function parseItem(text: string, path: string): ItemFile {
  const doc = parseObject(text, path);
  if (doc.version !== VERSION) throw tampered(path, "its version field is not valid");
  const sealed = parseSealed(doc);
  if (sealed === undefined) throw tampered(path, "its nonce or ciphertext is not valid");
  if (doc.name === undefined) return { sealed };
  if (typeof doc.name !== "string") throw tampered(path, "its name field is not valid");
  return { sealed, name: doc.name };
}

export function tampered(path: string, why: string): AwsmfaError {
  return new AwsmfaError(
    "E_STORE_TAMPERED",
    `The awsmfa file store file ${path} is damaged or was modified: ${why}.`,
    {
      hint: "Restore it from a backup, or remove it and store the item again (awsmfa add / a new session).",
    },
  );
}

function parseSealed(v: unknown): Sealed | undefined {
  if (!isRecord(v)) return undefined;
  const nonce = unb64(v.nonce);
  const ciphertext = unb64(v.ciphertext);
  if (nonce?.length !== NONCE_LENGTH) return undefined;
  if (ciphertext === undefined || ciphertext.length < TAG_LENGTH) return undefined;
  return { nonce, ciphertext };
}

function parseObject(text: string, path: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw tampered(path, "it is not valid JSON");
  }
  if (!isRecord(v)) throw tampered(path, "it is not a JSON object");
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function b64(b: Buffer): string {
  return b.toString("base64");
}

/** Strict base64: only the canonical spelling of some bytes. */
function unb64(v: unknown): Buffer | undefined {
  if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return undefined;
  const b = Buffer.from(v, "base64");
  return b.toString("base64") === v ? b : undefined;
}
