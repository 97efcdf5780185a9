/**
 * Reads one item of aws-vault's "file" backend: a JWE in compact form,
 * PBES2-HS256+A128KW key wrap (PBKDF2-SHA256, salt and iteration count in
 * the protected header) over an A256GCM-encrypted payload. Only what
 * aws-vault writes is accepted; everything else is refused by name.
 *
 * Built on node:crypto only (RFC 7518 4.8 and 5.3; RFC 3394 key unwrap).
 */
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { AwsmfaError } from "../errors.ts";

/** More would let a crafted file burn minutes of CPU; aws-vault's files use far fewer. */
export const MAX_PBES2_ITERATIONS = 1_000_000;
const RFC3394_IV = Buffer.from("a6a6a6a6a6a6a6a6", "hex");

function b64url(part: string, what: string, where: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw malformed(`${what} is not base64url`, where);
  return Buffer.from(part, "base64url");
}

function malformed(why: string, where: string): AwsmfaError {
  return new AwsmfaError("E_IMPORT_MALFORMED", `${where} is not an aws-vault file item: ${why}.`, {
    hint: "Skip it with --profile, or check that the file came from aws-vault's file backend.",
  });
}

/**
 * The decrypted payload. Throws E_IMPORT_PASSPHRASE when the passphrase is
 * wrong (the key unwrap fails its integrity check), E_IMPORT_MALFORMED when
 * the token is not what aws-vault writes.
 */
export function decryptAwsVaultJwe(token: string, passphrase: string, where: string): Buffer {
  const parts = token.trim().split(".");
  if (parts.length !== 5) throw malformed("not a compact JWE (5 dot-separated parts)", where);
  const [headerB64, wrappedB64, ivB64, ciphertextB64, tagB64] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  let header: unknown;
  try {
    header = JSON.parse(b64url(headerB64, "the header", where).toString("utf8"));
  } catch (e) {
    if (e instanceof AwsmfaError) throw e;
    throw malformed("the header is not JSON", where);
  }
  if (typeof header !== "object" || header === null)
    throw malformed("the header is not an object", where);
  const h: Record<string, unknown> = { ...header };
  if (h.alg !== "PBES2-HS256+A128KW")
    throw malformed(`unsupported alg ${JSON.stringify(h.alg)}`, where);
  if (h.enc !== "A256GCM") throw malformed(`unsupported enc ${JSON.stringify(h.enc)}`, where);
  if (h.zip !== undefined) throw malformed("compressed payloads are not supported", where);
  const p2c = h.p2c;
  if (typeof p2c !== "number" || !Number.isInteger(p2c) || p2c < 1 || p2c > MAX_PBES2_ITERATIONS) {
    throw malformed(`bad PBES2 iteration count ${JSON.stringify(p2c)}`, where);
  }
  if (typeof h.p2s !== "string") throw malformed("no PBES2 salt (p2s)", where);
  const p2s = b64url(h.p2s, "the salt", where);
  if (p2s.length < 8) throw malformed("the PBES2 salt is shorter than 8 bytes", where);

  // RFC 7518 4.8.1.1: salt = UTF8(alg) || 0x00 || p2s.
  const salt = Buffer.concat([Buffer.from("PBES2-HS256+A128KW", "utf8"), Buffer.from([0]), p2s]);
  const kek = pbkdf2Sync(passphrase, salt, p2c, 16, "sha256");
  const wrapped = b64url(wrappedB64, "the encrypted key", where);
  if (wrapped.length !== 40) throw malformed("the wrapped key is not 40 bytes", where);
  let cek: Buffer;
  try {
    const unwrap = createDecipheriv("id-aes128-wrap", kek, RFC3394_IV);
    cek = Buffer.concat([unwrap.update(wrapped), unwrap.final()]);
  } catch {
    throw new AwsmfaError(
      "E_IMPORT_PASSPHRASE",
      `Wrong passphrase for aws-vault's file store (${where}).`,
      {
        hint: "Give the passphrase you use with aws-vault (AWS_VAULT_FILE_PASSPHRASE, or type it when asked).",
      },
    );
  }
  const iv = b64url(ivB64, "the IV", where);
  const tag = b64url(tagB64, "the tag", where);
  if (iv.length !== 12 || tag.length !== 16) throw malformed("bad IV or tag length", where);
  try {
    const gcm = createDecipheriv("aes-256-gcm", cek, iv);
    gcm.setAAD(Buffer.from(headerB64, "ascii"));
    gcm.setAuthTag(tag);
    return Buffer.concat([gcm.update(b64url(ciphertextB64, "the ciphertext", where)), gcm.final()]);
  } catch {
    throw malformed("the content does not authenticate (tampered or truncated)", where);
  }
}
