/** The flags exec, export and write share, and the request they build. */
import type { CredentialRequest } from "../credentials/types.ts";
import { AwsmfaError, usageError } from "../errors.ts";
import { parseDuration } from "../credentials/durations.ts";
import { checkProfileName, profileFromArgs } from "./profileName.ts";
import type { CommandInput } from "./command.ts";

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

/**
 * The profile (argument, else AWS_PROFILE, else picked on the terminal) and
 * the flags as a request.
 */
export async function credentialRequest(
  command: string,
  positional: string | undefined,
  values: CredentialFlagValues,
  input: CommandInput,
): Promise<CredentialRequest> {
  const { debug } = input;
  const chosen =
    profileFromArgs(positional, input.ctx.env) ?? (await pickIfInteractive(command, input));
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

async function pickIfInteractive(
  command: string,
  input: CommandInput,
): Promise<{ name: string; from: "picker" }> {
  if (!input.ctx.interactive) {
    throw new AwsmfaError("E_NO_PROFILE", `${command}: no profile given.`, {
      exitCode: 2,
      hint: `Name one ('awsmfa ${command} PROFILE'), set AWS_PROFILE, or run on a terminal to pick one from a list.`,
    });
  }
  const { pickProfile } = await import("./picker/pickProfile.ts");
  const { rememberProfile } = await import("./picker/recent.ts");
  const name = await pickProfile(input, command);
  await rememberProfile(input, name);
  return { name, from: "picker" };
}
