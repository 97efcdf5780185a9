/**
 * Item names <-> file names, losslessly, on every filesystem we meet.
 *
 * Why not base64url: macOS and Windows filesystems are case-insensitive by
 * default, so "QQ" and "Qq" would be one file. The encoding below only emits
 * characters that have no case twin: lowercase letters, digits, "-" and "_"
 * stand for themselves; an uppercase letter is "^" + its lowercase form; any
 * other byte of the UTF-8 name is "%" + two lowercase hex digits. So
 * "Prod Admin" is "^prod%20^admin": readable, and distinct from "prod admin".
 *
 * Names whose encoding would be too long for a file name (most filesystems
 * stop at 255 bytes) become "~" + the SHA-256 of the name; those files carry
 * the name itself inside (see fileStore.ts), since it cannot be recovered
 * from the file name.
 */
import { createHash } from "node:crypto";

/** Longest encoded name we use as a file name (plus ".json" stays far below 255). */
export const MAX_ENCODED_LENGTH = 200;

const PLAIN = /^[a-z0-9_-]$/;
const UPPER = /^[A-Z]$/;
// Windows refuses these base names whatever the extension.
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

export interface EncodedName {
  /** The file name without its ".json" extension. */
  readonly base: string;
  /** true when base is a hash and the name must be stored inside the file. */
  readonly hashed: boolean;
}

export function encodeName(name: string): EncodedName {
  let out = "";
  for (const byte of Buffer.from(name, "utf8")) {
    const c = String.fromCharCode(byte);
    if (PLAIN.test(c)) out += c;
    else if (UPPER.test(c)) out += `^${c.toLowerCase()}`;
    else out += `%${byte.toString(16).padStart(2, "0")}`;
  }
  if (RESERVED.test(out)) out = `%${out.charCodeAt(0).toString(16)}${out.slice(1)}`;
  if (out === "" || out.length > MAX_ENCODED_LENGTH) {
    return { base: `~${createHash("sha256").update(name, "utf8").digest("hex")}`, hashed: true };
  }
  return { base: out, hashed: false };
}

/**
 * The name a file base stands for; undefined for a hashed base (read the
 * name from the file) and for anything encodeName would not have produced.
 */
export function decodeName(base: string): string | undefined {
  if (base.startsWith("~")) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < base.length; i++) {
    const c = base.charAt(i);
    if (PLAIN.test(c)) bytes.push(c.charCodeAt(0));
    else if (c === "^") {
      const next = base.charAt(i + 1);
      if (!/^[a-z]$/.test(next)) return undefined;
      bytes.push(next.toUpperCase().charCodeAt(0));
      i += 1;
    } else if (c === "%") {
      const hex = base.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else return undefined;
  }
  const name = new TextDecoder("utf-8", { fatal: false }).decode(Uint8Array.from(bytes));
  // Only accept the canonical spelling, so one name has exactly one file.
  const again = encodeName(name);
  return !again.hashed && again.base === base ? name : undefined;
}

/** true when base is the hashed spelling of some name. */
export function isHashedBase(base: string): boolean {
  return /^~[0-9a-f]{64}$/.test(base);
}
