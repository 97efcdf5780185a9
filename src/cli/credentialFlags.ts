/** The flags exec, export and write share, and the request they build. */
import type { CredentialRequest } from "../credentials/types.ts";
import { usageError } from "../errors.ts";
import { parseDuration } from "../credentials/durations.ts";
import { checkProfileName, profileFromArgs } from "./profileName.ts";
import type { Env } from "./context.ts";

export const credentialOptions = {
  duration: { type: "string", short: "d" },
  "no-session": { type: "boolean", short: "n" },
  "mfa-token": { type: "string", short: "t" },
  region: { type: "string" },
} as const;

export interface CredentialFlagValues {
  readonly duration?: string | undefined;
  readonly "no-session"?: boolean | undefined;
  readonly "mfa-token"?: string | undefined;
  readonly region?: string | undefined;
}

export function credentialRequest(
  command: string,
  positional: string | undefined,
  values: CredentialFlagValues,
  env: Env,
  debug: (message: string) => void,
): CredentialRequest {
  const chosen = profileFromArgs(positional, env);
  if (chosen === undefined) {
    throw usageError(
      `${command}: no profile given.`,
      `Name one ('awsmfa ${command} PROFILE'), or set AWS_PROFILE.`,
    );
  }
  if (chosen.from === "AWS_PROFILE") debug(`profile ${chosen.name} from AWS_PROFILE`);
  const req: {
    profile: string;
    durationSeconds?: number;
    noSession?: boolean;
    mfaToken?: string;
    region?: string;
  } = { profile: checkProfileName(chosen.name, command) };
  if (values.duration !== undefined) {
    const seconds = parseDuration(values.duration);
    if (seconds === undefined) {
      throw usageError(
        `${command}: '${values.duration}' is not a duration.`,
        "Write it as seconds (3600) or with units: 15m, 1h, 1h30m, 900s.",
      );
    }
    req.durationSeconds = seconds;
  }
  if (values["no-session"] === true) req.noSession = true;
  if (values["mfa-token"] !== undefined) req.mfaToken = values["mfa-token"];
  if (values.region !== undefined) req.region = values.region;
  return req;
}
