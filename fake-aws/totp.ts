/** RFC 4648 base32 and RFC 6238 TOTP (HMAC-SHA-1, 30 s steps, 6 digits), as AWS virtual MFA uses. */
import { createHmac, randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const TOTP_STEP_MS = 30_000;

export function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET.charAt((value << (5 - bits)) & 31);
  return out;
}

/** Decodes base32, ignoring case, spaces and '=' padding. Throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, "");
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const idx = ALPHABET.indexOf(ch);
    if (idx < 0) throw new Error(`invalid base32 character ${JSON.stringify(ch)}`);
    value = ((value << 5) | idx) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new 64-character seed, the length AWS hands out for virtual MFA devices. */
export function newBase32Seed(): string {
  return base32Encode(randomBytes(40));
}

export function totpCounter(ms: number): number {
  return Math.floor(ms / TOTP_STEP_MS);
}

/** HOTP (RFC 4226) for one counter value. */
export function hotp(key: Uint8Array, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(msg).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, "0");
}

/** The code an authenticator app shows at `ms` for a base32 seed. */
export function totpAt(seedBase32: string, ms: number): string {
  return hotp(base32Decode(seedBase32), totpCounter(ms));
}

/**
 * Which step (counter) `code` belongs to, looking one step either side of
 * `ms`; undefined when it matches none. The caller decides about reuse.
 */
export function matchTotp(seedBase32: string, code: string, ms: number): number | undefined {
  const key = base32Decode(seedBase32);
  const now = totpCounter(ms);
  for (const c of [now, now - 1, now + 1]) {
    if (hotp(key, c) === code) return c;
  }
  return undefined;
}
