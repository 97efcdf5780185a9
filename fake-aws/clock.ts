/**
 * The fake's notion of time. Everything time-dependent (TOTP steps, session
 * expiry, the 5-minute SigV4 window, timestamps in responses) reads this.
 * fake-aws keeps its own copy (it must not import src/).
 */
export interface FakeClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: FakeClock = { now: () => Date.now() };

/** A clock that only moves when told to: `advance(30_000)` is the next TOTP step. */
export interface ManualClock extends FakeClock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function manualClock(startMs: number): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

/**
 * A TOTP code the fake accepts now (`freshTotp`). AWS accepts a code once;
 * when the window's codes are spent, the clock moves on a step (30 s).
 */
export function freshCode(
  fake: { freshTotp(serial: string): string },
  clock: ManualClock,
  serial: string,
): string {
  for (let i = 0; i < 3; i++) {
    try {
      return fake.freshTotp(serial);
    } catch {
      clock.advance(30_000);
    }
  }
  throw new Error(`no fresh TOTP code for ${serial}`);
}
