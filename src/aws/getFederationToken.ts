/**
 * GetFederationToken over @aws-sdk/client-sts, for `login` with long-term
 * keys (the federation endpoint takes no long-term keys, and no
 * GetSessionToken session). Heavy: loaded only through a dynamic import.
 * The request carries no MFA: STS does not take a code here.
 */
import { GetFederationTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { DEFAULT_STS_TIMEOUTS, type StsTimeouts } from "./StsClient.ts";
import { StsError, classifyStsError } from "./StsError.ts";
import { AwsmfaError } from "../errors.ts";
import type { SessionCredentials } from "./federation.ts";
import { systemClock } from "../platform/clock.ts";

export interface GetFederationTokenInput {
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region: string;
  readonly endpoint: string;
  /** 2..32 of [\w+=,.@-]: shows in the console as the federated user's name. */
  readonly name: string;
  /** The session policy (JSON); the session gets the user's permissions intersected with it. */
  readonly policy: string;
  readonly durationSeconds: number;
  readonly timeouts?: StsTimeouts;
}

export async function getFederationToken(
  input: GetFederationTokenInput,
): Promise<SessionCredentials & { readonly expiration: Date }> {
  const timeouts = input.timeouts ?? DEFAULT_STS_TIMEOUTS;
  const quiet = (): void => undefined;
  const silent = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };
  const client = new STSClient({
    region: input.region,
    endpoint: input.endpoint,
    credentials: input.credentials,
    maxAttempts: 2,
    logger: silent,
    requestHandler: {
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.requestMs + 1_000,
      socketTimeout: timeouts.requestMs + 1_000,
      throwOnRequestTimeout: true,
      logger: silent,
    },
  });
  const signedAtMs = systemClock.now();
  const deadline = AbortSignal.timeout(timeouts.requestMs);
  try {
    const out = await client.send(
      new GetFederationTokenCommand({
        Name: input.name,
        Policy: input.policy,
        DurationSeconds: input.durationSeconds,
      }),
      { abortSignal: deadline },
    );
    const c = out.Credentials;
    if (
      c?.AccessKeyId === undefined ||
      c.SecretAccessKey === undefined ||
      c.SessionToken === undefined ||
      c.Expiration === undefined
    ) {
      throw new StsError({
        kind: "other",
        operation: "GetFederationToken",
        awsCode: undefined,
        awsMessage: "the response had no complete Credentials element",
        endpoint: input.endpoint,
      });
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  } catch (e) {
    if (deadline.aborted) {
      throw new StsError({
        kind: "timeout",
        operation: "GetFederationToken",
        awsCode: undefined,
        awsMessage: "",
        endpoint: input.endpoint,
        waited: { for: "an answer", ms: timeouts.requestMs },
        cause: e,
      });
    }
    const error = classifyStsError(e, {
      operation: "GetFederationToken",
      endpoint: input.endpoint,
      withMfa: false,
      signedAtMs,
    });
    if (error.kind !== "access-denied") throw error;
    // The usual hint speaks of role trust; here the likely cause is a policy
    // that wants MFA, which this call can never carry.
    throw new AwsmfaError(error.code, error.message, {
      hint: "GetFederationToken carries no MFA, so a policy that requires MFA (AWS's ForceMFA) denies it, as does one without sts:GetFederationToken. Sign in through a role profile instead (role_arn, with mfa_serial).",
      cause: error,
    });
  } finally {
    client.destroy();
  }
}
