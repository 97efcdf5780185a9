/**
 * An IAM call that failed, as one of our errors: what IAM said, and what to
 * do about it. AWS's messages name users, devices and actions, never secrets.
 */
import { AwsmfaError } from "../errors.ts";

const HINTS: Readonly<Record<string, string>> = {
  AccessDenied:
    "Your IAM user needs MFA self-service rights: attach the policy 'awsmfa policy force-mfa' prints (an administrator can).",
  InvalidAuthenticationCode:
    "Type two codes in a row from the app that scanned this QR code: the one shown, then the next one after it changes.",
  EntityAlreadyExists:
    "A device of that name exists: pick another with --device-name, or remove the old one ('awsmfa mfa list', 'awsmfa mfa remove').",
  NoSuchEntity: "Check the serial number with 'awsmfa mfa list'.",
  LimitExceeded: "Remove a device you no longer use ('awsmfa mfa remove') and try again.",
  DeleteConflict: "Deactivate the device first ('awsmfa mfa remove' does both).",
  InvalidClientTokenId:
    "The stored access key is not valid (deleted or inactive?): store the current one with 'awsmfa add --force'.",
  SignatureDoesNotMatch:
    "The stored secret key does not match the access key: store them again with 'awsmfa add --force'.",
};

/** IAM refused a call; `awsCode` is IAM's own error code (NoSuchEntity, LimitExceeded, ...). */
export class IamRefused extends AwsmfaError {
  constructor(
    readonly awsCode: string,
    message: string,
    options: { readonly hint: string; readonly cause: unknown },
  ) {
    super("E_IAM_REFUSED", message, options);
  }
}

export function iamError(operation: string, e: unknown, endpoint: string): AwsmfaError {
  if (e instanceof AwsmfaError) return e;
  // The SDK names modelled errors after their shapes (EntityAlreadyExistsException);
  // IAM's own code, as in its documentation and the AWS CLI, has no suffix.
  const name = (e instanceof Error ? e.name : "Error").replace(/Exception$/, "");
  const message = e instanceof Error ? e.message.slice(0, 500) : String(e);
  const status = statusOf(e);
  if (status === undefined) {
    const timedOut = name === "AbortError" || name === "TimeoutError";
    return new AwsmfaError(
      timedOut ? "E_IAM_TIMEOUT" : "E_IAM_UNREACHABLE",
      timedOut
        ? `IAM did not answer ${operation} in time (${endpoint}).`
        : `Cannot reach IAM at ${endpoint} for ${operation}: ${message}`,
      {
        hint: "Check your network, or AWS_ENDPOINT_URL_IAM if you set it, and try again.",
        cause: e,
      },
    );
  }
  return new IamRefused(name, `IAM refused ${operation} (${name}): ${message}`, {
    hint: HINTS[name] ?? "See the message from IAM above.",
    cause: e,
  });
}

function statusOf(e: unknown): number | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const meta: unknown = Reflect.get(e, "$metadata");
  const status: unknown =
    typeof meta === "object" && meta !== null ? Reflect.get(meta, "httpStatusCode") : undefined;
  return typeof status === "number" ? status : undefined;
}
