import { createHash, timingSafeEqual } from "node:crypto";

/** Constant-time comparison of two secrets of any length. */
export function sameSecret(a: string, b: string): boolean {
  // Hash first so lengths leak nothing and timingSafeEqual gets equal sizes.
  const h = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(h(a), h(b));
}
