/**
 * mfa_serial without role_arn (the aws-vault "*-mfa" profile, or the
 * profile asked for): the device waits for what follows. A device already
 * used earlier in the chain adds nothing. GetSessionToken needs long-term
 * keys, so a device after temporary credentials cannot be used.
 */
import { AwsmfaError } from "../../errors.ts";
import { note, type HopRule } from "./PlanState.ts";

export const mfaOnlyHop: HopRule = (s, inputs, hop) => {
  const { profile: p, own } = hop;
  if (p.roleArn !== undefined || own === undefined) return undefined;
  if (s.proven.has(own.serial) || s.pending?.serial === own.serial) {
    return note(
      s,
      `${own.serial} is already used earlier in the chain; profile ${p.name} adds nothing`,
    );
  }
  if (s.holding !== "long-term") {
    const from = inputs.chain[hop.index + 1]?.name ?? inputs.source.profile;
    throw new AwsmfaError(
      "E_MFA_AFTER_TEMPORARY",
      `Profile ${p.name} sets mfa_serial without role_arn, but the credentials it gets from ${from} are already temporary; GetSessionToken needs long-term keys.`,
      {
        hint: `Put mfa_serial on the profile that holds the keys (${inputs.source.profile}) or on the role profile.`,
      },
    );
  }
  return { ...s, pending: own };
};
