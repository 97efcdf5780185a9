/**
 * The two primitives of the file store: scrypt (passphrase -> 256-bit key)
 * and AES-256-GCM (authenticated encryption with associated data).
 * See README.md for the parameters and why.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";

export interface ScryptParams {
  /** CPU/memory cost, a power of two. Memory used is 128 * N * r bytes. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * The parameters new stores get: 64 MiB of memory and about 250 ms for one
 * derivation on a 2-core cloud VM (measured; README.md). Stores keep the
 * parameters they were created with, so raising these later only affects
 * new stores.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 16, r: 8, p: 1 };

export const KEY_LENGTH = 32;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const SALT_LENGTH = 16;

/** Most memory we agree to spend on a derivation a store file asks for. */
export const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

export function scryptMemory(params: ScryptParams): number {
  return 128 * params.N * params.r;
}

/** true for parameters scrypt accepts and we are willing to run. */
export function saneScryptParams(params: ScryptParams): boolean {
  const { N, r, p } = params;
  return (
    Number.isSafeInteger(N) &&
    Number.isSafeInteger(r) &&
    Number.isSafeInteger(p) &&
    N >= 2 &&
    (N & (N - 1)) === 0 &&
    r >= 1 &&
    r <= 64 &&
    p >= 1 &&
    p <= 16 &&
    scryptMemory(params) <= MAX_SCRYPT_MEMORY
  );
}

export function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // NFC, so the same passphrase typed on systems that compose characters
  // differently (macOS input methods vs Linux) derives the same key.
  const secret = Buffer.from(passphrase.normalize("NFC"), "utf8");
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      salt,
      KEY_LENGTH,
      { N: params.N, r: params.r, p: params.p, maxmem: 2 * scryptMemory(params) + 1024 * 1024 },
      (err, key) => {
        secret.fill(0);
        if (err) reject(err);
        else resolve(key);
      },
    );
  });
}

export interface Sealed {
  readonly nonce: Buffer;
  /** ciphertext followed by the 16-byte tag */
  readonly ciphertext: Buffer;
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

/** The plaintext, or undefined when authentication fails (wrong key, tampered data or AAD). */
export function open(key: Buffer, sealed: Sealed, aad: Buffer): Buffer | undefined {
  if (sealed.nonce.length !== NONCE_LENGTH || sealed.ciphertext.length < TAG_LENGTH) {
    return undefined;
  }
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_LENGTH);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_LENGTH);
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.nonce, {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    // final() throws exactly when the tag does not verify.
    return undefined;
  }
}
