import type { Clock } from "../../src/platform/clock.ts";

/** A clock for tests that only moves when told to. */
export function fixedClock(startMs: number): Clock & { advance(ms: number): void } {
  let t = startMs;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
