/**
 * The real StsClient over @aws-sdk/client-sts. Heavy: only ever loaded
 * through a dynamic import (stsFactory.ts), so a credential_process answered
 * from the cache never loads the SDK.
 */
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials,
} from "@aws-sdk/client-sts";
import type {
  AssumeRoleInput,
  CallerIdentity,
  GetSessionTokenInput,
  StsClient,
  StsClientOptions,
  TemporaryCredentials,
} from "./StsClient.ts";
import { StsError, classifyStsError, type StsOperation } from "./StsError.ts";

/** Bounded network waits: a dead endpoint fails in seconds, not minutes. */
const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 15_000;
/** One retry for a transient failure; an MFA code must never be sent twice. */
const MAX_ATTEMPTS = 2;

export function createSdkStsClient(options: StsClientOptions): StsClient {
  let client: STSClient | undefined;
  const sdk = (maxAttempts: number): STSClient => {
    if (maxAttempts !== MAX_ATTEMPTS) return build(options, maxAttempts);
    client ??= build(options, maxAttempts);
    return client;
  };

  async function call<T>(
    operation: StsOperation,
    withMfa: boolean,
    run: (c: STSClient) => Promise<T>,
  ): Promise<T> {
    try {
      // A request carrying a TOTP code is sent once: a retry after a lost
      // response would be rejected as a reused code.
      return await run(sdk(withMfa ? 1 : MAX_ATTEMPTS));
    } catch (e) {
      throw classifyStsError(e, { operation, endpoint: options.endpoint, withMfa });
    }
  }

  return {
    getSessionToken: (input: GetSessionTokenInput) =>
      call("GetSessionToken", input.tokenCode !== undefined, async (c) => {
        const out = await c.send(
          new GetSessionTokenCommand({
            DurationSeconds: input.durationSeconds,
            SerialNumber: input.serialNumber,
            TokenCode: input.tokenCode,
          }),
        );
        return temporary(out.Credentials, "GetSessionToken", options.endpoint);
      }),
    assumeRole: (input: AssumeRoleInput) =>
      call("AssumeRole", input.tokenCode !== undefined, async (c) => {
        const out = await c.send(
          new AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.roleSessionName,
            DurationSeconds: input.durationSeconds,
            ExternalId: input.externalId,
            SerialNumber: input.serialNumber,
            TokenCode: input.tokenCode,
            SourceIdentity: input.sourceIdentity,
            Tags: input.tags?.map((t) => ({ Key: t.key, Value: t.value })),
            TransitiveTagKeys:
              input.transitiveTagKeys === undefined ? undefined : [...input.transitiveTagKeys],
          }),
        );
        return temporary(out.Credentials, "AssumeRole", options.endpoint);
      }),
    getCallerIdentity: () =>
      call("GetCallerIdentity", false, async (c): Promise<CallerIdentity> => {
        const out = await c.send(new GetCallerIdentityCommand({}));
        return { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" };
      }),
  };
}

function build(options: StsClientOptions, maxAttempts: number): STSClient {
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  return new STSClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials:
      sessionToken === undefined
        ? { accessKeyId, secretAccessKey }
        : { accessKeyId, secretAccessKey, sessionToken },
    maxAttempts,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    },
  });
}

function temporary(
  c: Credentials | undefined,
  operation: StsOperation,
  endpoint: string,
): TemporaryCredentials {
  if (
    c?.AccessKeyId === undefined ||
    c.SecretAccessKey === undefined ||
    c.SessionToken === undefined ||
    c.Expiration === undefined
  ) {
    throw new StsError({
      kind: "other",
      operation,
      awsCode: undefined,
      awsMessage: "the response had no complete Credentials element",
      endpoint,
    });
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
