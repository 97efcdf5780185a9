/**
 * Adds what only the engine knows (whose keys signed, which device, which
 * step) to an STS failure that src/aws/StsError.ts already classified. It
 * lives here, not in aws/: it reads the plan, and aws/ does not know plans.
 */
import { AwsmfaError } from "../errors.ts";
import { StsError } from "../aws/StsError.ts";
import type { CredentialPlan } from "./plan/types.ts";
import { describeSource } from "./sources/longTermSources.ts";
import { stepName } from "./stepName.ts";

export function explainStsFailure(e: unknown, plan: CredentialPlan, i: number): unknown {
  const step = plan.steps[i];
  if (!(e instanceof StsError) || step === undefined) return e;
  const profile = step.profile;
  const op = step.kind === "session" ? "GetSessionToken" : `AssumeRole ${step.roleArn}`;
  const src = plan.source;
  const previous = i > 0 ? plan.steps[i - 1] : undefined;
  const signer = previous === undefined ? describeSource(src) : `the ${stepName(previous)}`;
  const storedKeysSigned = previous === undefined && src.kind === "stored-keys";
  const make = (message: string, hint: string | undefined) =>
    new AwsmfaError(e.code, message, { hint: hint ?? e.hint ?? "", cause: e });
  const aws = e.awsMessage === "" ? "" : ` AWS said: ${e.awsMessage}`;
  switch (e.kind) {
    case "mfa-rejected":
      return make(
        `STS rejected the MFA code for ${step.mfa?.serial ?? "the device"} (profile ${profile}, ${op}).`,
        "The code was wrong or already used; wait for the next code and try again.",
      );
    case "invalid-client-token":
      return make(
        storedKeysSigned
          ? `The stored keys for profile ${src.profile} were rejected by STS (${e.awsCode ?? "InvalidClientTokenId"}).`
          : `${capitalise(signer)} were rejected by STS (${op}, ${e.awsCode ?? "InvalidClientTokenId"}).`,
        storedKeysSigned
          ? `They were deleted or deactivated in IAM: rotate them and store the new ones with 'awsmfa add ${src.profile}'.`
          : undefined,
      );
    case "bad-signature":
      return make(
        `STS rejected the signature made with ${signer} (${op}): the secret key does not belong to the key id.`,
        storedKeysSigned
          ? `Store the keys again with 'awsmfa add ${src.profile}', copying the secret exactly.`
          : undefined,
      );
    case "access-denied":
      return make(
        `STS denied ${op} for profile ${profile}.${aws}`,
        step.kind === "role"
          ? "Check the role's trust policy: who may assume it, whether it requires MFA (mfa_serial) or an external id (external_id)."
          : undefined,
      );
    case "validation":
      return make(`STS rejected the parameters of ${op} for profile ${profile}.${aws}`, undefined);
    default:
      return make(`Profile ${profile}: ${e.message}`, undefined);
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
