import { usageError } from "../errors.ts";

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/**
 * `-d` values: plain seconds (`3600`), or units (`15m`, `1h`, `3600s`,
 * `1h30m`). Range checks against AWS's limits happen in the engine, which
 * knows which call the duration is for.
 */
export function parseDurationFlag(value: string): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const parts = [...v.matchAll(/(\d+)([hms])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== v) {
    throw usageError(
      `'${value}' is not a duration.`,
      "Write it as seconds (3600) or with units: 15m, 1h, 1h30m, 900s.",
    );
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] ?? "s"] ?? 1), 0);
}
