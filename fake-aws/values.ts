/** Small checks the fake's endpoints share (fake-aws keeps its own copies: it must not import src/). */
import { timingSafeEqual } from "node:crypto";

/** Constant-time string equality, as a real service compares secrets and tokens. */
export function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
