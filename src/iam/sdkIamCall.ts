/**
 * A bounded call through @aws-sdk/client-iam: a deadline over the whole call
 * (retries included), the SDK's logging silenced, failures turned into our
 * errors (iamError.ts). Calls that carry MFA codes are sent once.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { AwsmfaError } from "../errors.ts";
import type { IamClientOptions } from "./IamClient.ts";
import { iamError } from "./iamError.ts";

const quiet = (): void => undefined;
const SILENT = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

export interface SdkIamCaller {
  readonly call: <T>(
    operation: string,
    once: boolean,
    run: (c: IAMClient, abortSignal: AbortSignal) => Promise<T>,
  ) => Promise<T>;
  /** The error for an answer without a field it must have. */
  readonly missing: (operation: string, what: string) => AwsmfaError;
}

export function sdkIamCaller(options: IamClientOptions): SdkIamCaller {
  const clients = new Map<number, IAMClient>();
  const sdk = (maxAttempts: number): IAMClient => {
    let c = clients.get(maxAttempts);
    if (c === undefined) {
      c = new IAMClient({
        region: options.region,
        endpoint: options.endpoint,
        credentials: options.credentials,
        maxAttempts,
        logger: SILENT,
        requestHandler: {
          connectionTimeout: Math.min(5_000, options.timeoutMs),
          requestTimeout: options.timeoutMs + 1_000,
          throwOnRequestTimeout: true,
          logger: SILENT,
        },
      });
      clients.set(maxAttempts, c);
    }
    return c;
  };
  return {
    call: async (operation, once, run) => {
      const deadline = new AbortController();
      const timer = setTimeout(() => {
        deadline.abort();
      }, options.timeoutMs);
      try {
        return await run(sdk(once ? 1 : 2), deadline.signal);
      } catch (e) {
        throw iamError(operation, e, options.endpoint);
      } finally {
        clearTimeout(timer);
      }
    },
    missing: (operation, what) =>
      new AwsmfaError("E_IAM_BAD_ANSWER", `IAM's answer to ${operation} has no ${what}.`, {
        hint: `Check that ${options.endpoint} is an IAM endpoint.`,
      }),
  };
}
