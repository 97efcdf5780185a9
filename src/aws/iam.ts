/**
 * The real IamClient over @aws-sdk/client-iam. Heavy: only loaded through
 * IamClient.ts's factory. Each call is bounded by a deadline; IAM's errors
 * become IamError with the AWS code kept (LimitExceeded, AccessDenied...).
 */
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  IAMClient,
  ListAccessKeysCommand,
} from "@aws-sdk/client-iam";
import { AwsmfaError, redactKeyId } from "../errors.ts";
import type { IamClient, IamClientOptions } from "./IamClient.ts";
import { DEFAULT_STS_TIMEOUTS } from "./StsClient.ts";

export type IamOperation = "ListAccessKeys" | "CreateAccessKey" | "DeleteAccessKey";

export class IamError extends AwsmfaError {
  constructor(
    readonly operation: IamOperation,
    /** AWS's error code; undefined for network errors and timeouts. */
    readonly awsCode: string | undefined,
    message: string,
    hint: string,
  ) {
    super("E_IAM", message, { hint });
  }
}

const quiet = (): void => undefined;
const SILENT = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

export function createSdkIamClient(options: IamClientOptions): IamClient {
  const timeouts = options.timeouts ?? DEFAULT_STS_TIMEOUTS;
  const client = new IAMClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    // One attempt: a CreateAccessKey retried after a lost answer would make
    // a second key (and hit the two-key limit).
    maxAttempts: 1,
    logger: SILENT,
    requestHandler: {
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.requestMs + 1_000,
      socketTimeout: timeouts.requestMs + 1_000,
      throwOnRequestTimeout: true,
      logger: SILENT,
    },
  });
  async function call<T>(operation: IamOperation, run: (signal: AbortSignal) => Promise<T>) {
    const deadline = AbortSignal.timeout(timeouts.requestMs);
    try {
      return await run(deadline);
    } catch (e) {
      throw classify(e, operation, options.endpoint, deadline.aborted, timeouts.requestMs);
    }
  }
  return {
    listAccessKeys: () =>
      call("ListAccessKeys", async (abortSignal) => {
        const out = await client.send(new ListAccessKeysCommand({}), { abortSignal });
        const keys = (out.AccessKeyMetadata ?? []).flatMap((k) =>
          k.AccessKeyId === undefined
            ? []
            : [{ accessKeyId: k.AccessKeyId, status: k.Status ?? "Active" }],
        );
        const userName = out.AccessKeyMetadata?.[0]?.UserName ?? "";
        return { userName, keys };
      }),
    createAccessKey: () =>
      call("CreateAccessKey", async (abortSignal) => {
        const out = await client.send(new CreateAccessKeyCommand({}), { abortSignal });
        const k = out.AccessKey;
        if (k?.AccessKeyId === undefined || k.SecretAccessKey === undefined) {
          throw new IamError(
            "CreateAccessKey",
            undefined,
            "IAM CreateAccessKey answered without a complete AccessKey.",
            "Run 'aws iam list-access-keys' to see whether a key was made, and delete it if so.",
          );
        }
        return {
          userName: k.UserName ?? "",
          accessKeyId: k.AccessKeyId,
          secretAccessKey: k.SecretAccessKey,
        };
      }),
    deleteAccessKey: (accessKeyId) =>
      call("DeleteAccessKey", async (abortSignal) => {
        await client.send(new DeleteAccessKeyCommand({ AccessKeyId: accessKeyId }), {
          abortSignal,
        });
      }),
  };
}

function str(e: unknown, k: string): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const v: unknown = Reflect.get(e, k);
  return typeof v === "string" ? v : undefined;
}

function classify(
  e: unknown,
  operation: IamOperation,
  endpoint: string,
  timedOut: boolean,
  timeoutMs: number,
): IamError {
  if (e instanceof IamError) return e;
  if (timedOut) {
    return new IamError(
      operation,
      undefined,
      `IAM at ${endpoint} did not answer within ${String(timeoutMs / 1000)} s (${operation}).`,
      "Check the network, then run again.",
    );
  }
  const metadata: unknown =
    typeof e === "object" && e !== null ? Reflect.get(e, "$metadata") : undefined;
  const status: unknown =
    typeof metadata === "object" && metadata !== null
      ? Reflect.get(metadata, "httpStatusCode")
      : undefined;
  if (typeof status !== "number") {
    return new IamError(
      operation,
      undefined,
      `Could not reach IAM at ${endpoint} (${operation}: ${str(e, "code") ?? str(e, "name") ?? "no answer"}).`,
      "Check the network (and AWS_ENDPOINT_URL_IAM if you set it), then run again.",
    );
  }
  // The wire code (LimitExceeded): the SDK names its classes with an
  // "Exception" suffix (LimitExceededException) and keeps the code in Code.
  const code = str(e, "Code") ?? (str(e, "name") ?? "Unknown").replace(/Exception$/, "");
  // AWS messages name ARNs and key ids, never secrets; key ids are shortened anyway.
  const said = (str(e, "message") ?? "").replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, (id) =>
    redactKeyId(id),
  );
  const hints: Record<string, string> = {
    LimitExceeded:
      "IAM allows two access keys per user: delete the one you no longer use ('aws iam delete-access-key'), then run again.",
    AccessDenied:
      "The credentials may lack iam:ListAccessKeys/CreateAccessKey/DeleteAccessKey on your user, or the policy wants MFA: set mfa_serial on the profile that holds the keys.",
    InvalidClientTokenId:
      "IAM refuses sessions without MFA: set mfa_serial on the profile that holds the keys, or check that the stored key is still active.",
    NoSuchEntity: "The key is gone already: run 'aws iam list-access-keys' to see what is left.",
  };
  return new IamError(
    operation,
    code,
    `IAM ${operation} failed with ${code}${said === "" ? "" : `: ${said.slice(0, 300)}`}.`,
    hints[code] ?? "Run again with --debug to see which call failed.",
  );
}
