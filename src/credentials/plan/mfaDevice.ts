/**
 * The MFA device a profile names (mfa_serial), with the mfa_process that
 * gives its codes: the profile's own, else the one of the profile asked for.
 */
import type { ProfileConfig } from "../../config/types.ts";
import type { MfaDevice } from "./types.ts";

export function mfaDevice(p: ProfileConfig, requested: ProfileConfig): MfaDevice | undefined {
  if (p.mfaSerial === undefined) return undefined;
  const owner =
    p.mfaProcess !== undefined ? p : requested.mfaProcess !== undefined ? requested : undefined;
  const where = owner?.where.mfa_process;
  const mfaProcess =
    owner?.mfaProcess === undefined
      ? undefined
      : where === undefined
        ? { command: owner.mfaProcess }
        : { command: owner.mfaProcess, where };
  return { serial: p.mfaSerial, profile: p.name, mfaProcess };
}
