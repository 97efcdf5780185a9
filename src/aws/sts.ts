/**
 * The real StsClient over @aws-sdk/client-sts. Heavy: only ever loaded
 * through a dynamic import (stsFactory.ts), so a credential_process answered
 * from the cache never loads the SDK.
 */
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials,
} from "@aws-sdk/client-sts";
import {
  DEFAULT_STS_TIMEOUTS,
  type AssumeRoleInput,
  type CallerIdentity,
  type GetSessionTokenInput,
  type StsClient,
  type StsClientOptions,
  type StsTimeouts,
  type TemporaryCredentials,
} from "./StsClient.ts";
import { StsError, classifyStsError, type StsOperation } from "./StsError.ts";
import { systemClock } from "../platform/clock.ts";

/** One retry for a transient failure; an MFA code must never be sent twice. */
const MAX_ATTEMPTS = 2;
/**
 * The handler's own request and socket timeouts sit this far behind our
 * deadline: they are a backstop only, our deadline always fires first.
 */
const BACKSTOP_MS = 1_000;

/**
 * Every network wait is bounded. Our own deadline (an AbortSignal) covers the
 * whole call, retries and reading the answer included; the handler bounds
 * each connection attempt. @smithy/node-http-handler only logs a WARN to the
 * console when its requestTimeout passes (it throws only with
 * throwOnRequestTimeout), so that is set, and its logger is silenced: a
 * warning on stderr would land in the output of every credential_process
 * caller.
 */
export function createSdkStsClient(options: StsClientOptions): SdkStsClient {
  const timeouts = options.timeouts ?? DEFAULT_STS_TIMEOUTS;
  let client: STSClient | undefined;
  const sdk = (maxAttempts: number): STSClient => {
    if (maxAttempts !== MAX_ATTEMPTS) return build(options, timeouts, maxAttempts);
    client ??= build(options, timeouts, maxAttempts);
    return client;
  };

  async function call<T>(
    operation: StsOperation,
    withMfa: boolean,
    run: (c: STSClient, abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    // The SDK signs with the system clock; a rejected signature is compared
    // with the server's Date header against this (see classifyStsError).
    const signedAtMs = systemClock.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort();
    }, timeouts.requestMs);
    try {
      // A request carrying a TOTP code is sent once: a retry after a lost
      // response would be rejected as a reused code.
      return await run(sdk(withMfa ? 1 : MAX_ATTEMPTS), deadline.signal);
    } catch (e) {
      const endpoint = options.endpoint;
      if (deadline.signal.aborted || isTimeout(e)) {
        throw new StsError({
          kind: "timeout",
          operation,
          awsCode: undefined,
          awsMessage: "",
          endpoint,
          // Only our deadline or the handler's connection timeout can fire
          // (its own request and socket timeouts are set later than ours).
          waited: deadline.signal.aborted
            ? { for: "an answer", ms: timeouts.requestMs }
            : { for: "a connection", ms: timeouts.connectMs },
          cause: e,
        });
      }
      throw classifyStsError(e, { operation, endpoint, withMfa, signedAtMs });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    getSessionToken: (input: GetSessionTokenInput) =>
      call("GetSessionToken", input.tokenCode !== undefined, async (c, abortSignal) => {
        const out = await c.send(
          new GetSessionTokenCommand({
            DurationSeconds: input.durationSeconds,
            SerialNumber: input.serialNumber,
            TokenCode: input.tokenCode,
          }),
          { abortSignal },
        );
        return temporary(out.Credentials, "GetSessionToken", options.endpoint);
      }),
    assumeRole: (input: AssumeRoleInput) =>
      call("AssumeRole", input.tokenCode !== undefined, async (c, abortSignal) => {
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
          { abortSignal },
        );
        return temporary(out.Credentials, "AssumeRole", options.endpoint);
      }),
    getCallerIdentity: () =>
      call("GetCallerIdentity", false, async (c, abortSignal): Promise<CallerIdentity> => {
        const out = await c.send(new GetCallerIdentityCommand({}), { abortSignal });
        return { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" };
      }),
    getFederationToken: (input: GetFederationTokenInput) =>
      call("GetFederationToken", false, async (c, abortSignal) => {
        const out = await c.send(
          new GetFederationTokenCommand({
            Name: input.name,
            Policy: input.policy,
            DurationSeconds: input.durationSeconds,
          }),
          { abortSignal },
        );
        return temporary(out.Credentials, "GetFederationToken", options.endpoint);
      }),
  };
}

/** GetFederationToken's request (`login` for a profile without a role). */
export interface GetFederationTokenInput {
  /** 2..32 of [\w+=,.@-]: shows in the console as the federated user's name. */
  readonly name: string;
  /** The session policy (JSON); the session gets the user's permissions intersected with it. */
  readonly policy: string;
  readonly durationSeconds: number;
}

/** The engine's StsClient, plus what only `login` asks of STS. */
export interface SdkStsClient extends StsClient {
  getFederationToken(input: GetFederationTokenInput): Promise<TemporaryCredentials>;
}

function build(options: StsClientOptions, timeouts: StsTimeouts, maxAttempts: number): STSClient {
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  return new STSClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials:
      sessionToken === undefined
        ? { accessKeyId, secretAccessKey }
        : { accessKeyId, secretAccessKey, sessionToken },
    maxAttempts,
    logger: SILENT,
    requestHandler: {
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.requestMs + BACKSTOP_MS,
      socketTimeout: timeouts.requestMs + BACKSTOP_MS,
      throwOnRequestTimeout: true,
      logger: SILENT,
    },
  });
}

const quiet = (): void => undefined;
/** Nothing the SDK or its HTTP handler wants to log reaches our stderr. */
const SILENT = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

/** The handler's connection timeout (and its backstops): name TimeoutError, no HTTP status. */
function isTimeout(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const name: unknown = Reflect.get(e, "name");
  const metadata: unknown = Reflect.get(e, "$metadata");
  const status: unknown =
    typeof metadata === "object" && metadata !== null
      ? Reflect.get(metadata, "httpStatusCode")
      : undefined;
  return name === "TimeoutError" && typeof status !== "number";
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
