import { AwsmfaError } from "../../errors.ts";
import type { MfaDevice } from "./types.ts";

/**
 * --mfa-token given for credentials that need no code. Refused rather than
 * ignored: the user expects MFA-backed credentials, and getting a session
 * without MFA instead (a profile that lacks mfa_serial, a config file that
 * is not the one they think) fails later, under a policy that requires MFA,
 * far from the cause. Nothing has been sent, so the code is not spent.
 */
export function mfaTokenUnused(
  profile: string,
  unused: MfaDevice | undefined,
  noSession: boolean,
): AwsmfaError {
  return noSession && unused !== undefined
    ? new AwsmfaError(
        "E_MFA_TOKEN_UNUSED",
        `--mfa-token was given, but with --no-session profile ${profile} hands out long-term keys and uses no MFA code (mfa_serial ${unused.serial} of profile ${unused.profile} is not used). Nothing was sent; the code is not spent.`,
        {
          hint: "Leave out --no-session to get an MFA session, or leave out --mfa-token.",
          exitCode: 2,
        },
      )
    : new AwsmfaError(
        "E_MFA_TOKEN_UNUSED",
        `--mfa-token was given, but profile ${profile} uses no MFA device: neither it nor a profile it uses sets mfa_serial. Nothing was sent; the code is not spent.`,
        {
          hint: `Add mfa_serial to profile ${profile} (or its source profile) if it should use MFA, or leave out --mfa-token.`,
          exitCode: 2,
        },
      );
}
