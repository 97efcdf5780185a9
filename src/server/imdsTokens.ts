/**
 * IMDSv2 session tokens: handed out by `PUT /latest/api/token` for the TTL
 * the client asks (1..21600 s, as EC2), required on every read.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../platform/clock.ts";

export const MAX_TTL_SECONDS = 21600;
/** Tokens kept at once; past this the oldest is forgotten (its client asks again). */
const MAX_TOKENS = 10_000;

export interface ImdsTokens {
  issue(ttlSeconds: number): string;
  valid(token: string | undefined): boolean;
}

export function imdsTokens(clock: Clock, random: (n: number) => Buffer = randomBytes): ImdsTokens {
  const expiry = new Map<string, number>();
  return {
    issue(ttlSeconds) {
      const token = random(32).toString("base64url");
      if (expiry.size >= MAX_TOKENS) {
        const now = clock.now();
        for (const [t, until] of expiry) if (until <= now) expiry.delete(t);
        const oldest = expiry.keys().next();
        if (expiry.size >= MAX_TOKENS && oldest.done !== true) expiry.delete(oldest.value);
      }
      expiry.set(token, clock.now() + ttlSeconds * 1000);
      return token;
    },
    valid(token) {
      if (token === undefined) return false;
      // A map lookup: the token is random and unguessable, and a miss says
      // nothing about how close a guess was.
      const until = expiry.get(token);
      if (until === undefined) return false;
      if (until <= clock.now()) {
        expiry.delete(token);
        return false;
      }
      return true;
    },
  };
}
