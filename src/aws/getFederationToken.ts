/**
 * GetFederationToken for `login` with long-term keys (the federation
 * endpoint takes no long-term keys, and no GetSessionToken session), through
 * the same SDK STS client as every STS call (sts.ts: bounded waits, one
 * retry, silenced SDK logger, errors classified). Heavy: loaded only through
 * a dynamic import. The request carries no MFA: STS does not take a code
 * here, which is what an access denial most likely means.
 */
import { AwsmfaError } from "../errors.ts";
import type { StsTimeouts, TemporaryCredentials } from "./StsClient.ts";
import { StsError } from "./StsError.ts";
import { createSdkStsClient, type GetFederationTokenInput } from "./sts.ts";

export async function getFederationToken(
  input: GetFederationTokenInput & {
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    readonly region: string;
    readonly endpoint: string;
    readonly timeouts?: StsTimeouts;
  },
): Promise<TemporaryCredentials> {
  const sts = createSdkStsClient({
    credentials: input.credentials,
    region: input.region,
    endpoint: input.endpoint,
    ...(input.timeouts === undefined ? {} : { timeouts: input.timeouts }),
  });
  try {
    return await sts.getFederationToken(input);
  } catch (e) {
    if (!(e instanceof StsError) || e.kind !== "access-denied") throw e;
    // The usual hint speaks of role trust; here the likely cause is a policy
    // that wants MFA, which this call can never carry.
    throw new AwsmfaError(e.code, e.message, {
      hint: "GetFederationToken carries no MFA, so a policy that requires MFA (AWS's ForceMFA) denies it, as does one without sts:GetFederationToken. Sign in through a role profile instead (role_arn, with mfa_serial).",
      cause: e,
    });
  }
}
