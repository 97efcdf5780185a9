/**
 * The bearer token of the container-credentials server: 32 random bytes,
 * compared in constant time. Both sides are hashed first, so the compare
 * takes the same time whatever the length of what the client sent.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export interface ServerToken {
  /** Handed to the child in its environment only; never logged, never in argv. */
  readonly value: string;
  /** Whether an Authorization header carries the token (with or without a "Bearer " prefix). */
  matches(header: string | undefined): boolean;
}

export function newServerToken(bytes: Buffer = randomBytes(32)): ServerToken {
  const value = bytes.toString("base64url");
  const digest = sha256(value);
  return {
    value,
    matches(header) {
      if (header === undefined) return false;
      const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : header;
      return timingSafeEqual(sha256(given), digest);
    },
  };
}

function sha256(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}
