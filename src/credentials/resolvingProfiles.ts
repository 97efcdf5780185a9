/**
 * Cycle detection across processes: a credential_process that calls awsmfa
 * again (for another profile, whose credential_process calls awsmfa, ...).
 * awsmfa names the profiles it is resolving in AWSMFA_RESOLVING_PROFILES for
 * every credential_process it runs; a call for a profile already in that
 * list is a cycle.
 */
import { AwsmfaError } from "../errors.ts";
import type { Env } from "../platform/env.ts";

export const RESOLVING_VAR = "AWSMFA_RESOLVING_PROFILES";

/** The profiles awsmfa processes above us are resolving; throws on a cycle through `profile`. */
export function resolvingProfiles(env: Env, profile: string): string[] {
  const names = readList(env);
  if (names.includes(profile)) {
    throw new AwsmfaError(
      "E_CREDENTIAL_PROCESS_CYCLE",
      `credential_process commands call awsmfa in a cycle: ${[...names, profile].join(" -> ")}.`,
      {
        hint: `Store keys for one of these profiles with 'awsmfa add', or fix their credential_process.`,
      },
    );
  }
  return names;
}

function readList(env: Env): string[] {
  const raw = env[RESOLVING_VAR];
  if (raw === undefined || raw === "") return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  // Set only by awsmfa for the credential_process commands it runs; a value
  // we cannot read would silently switch off cycle detection, so say so.
  const names = Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  if (!Array.isArray(v) || names.length !== v.length) {
    throw new AwsmfaError(
      "E_BAD_ENVIRONMENT",
      `${RESOLVING_VAR} is set but is not a JSON list of profile names.`,
      { hint: `Unset ${RESOLVING_VAR}: awsmfa sets it itself for the commands it runs.` },
    );
  }
  return names;
}
