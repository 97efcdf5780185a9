/**
 * An STS call that failed, classified. The adapter (sts.ts) turns whatever
 * the SDK throws into one of these; the engine then adds what only it knows
 * (which profile's keys, which MFA device) with `explainStsError`.
 */
import { AwsmfaError } from "../errors.ts";

export type StsErrorKind =
  /** AccessDenied on a call that carried an MFA code: the code was wrong or reused. */
  | "mfa-rejected"
  | "access-denied"
  | "expired-token"
  | "invalid-client-token"
  | "clock-skew"
  | "bad-signature"
  | "validation"
  | "throttled"
  | "unreachable"
  /** No connection, or no complete answer, within the bound in `waited`. */
  | "timeout"
  | "other";

export type StsOperation = "GetSessionToken" | "AssumeRole" | "GetCallerIdentity";

export class StsError extends AwsmfaError {
  readonly kind: StsErrorKind;
  readonly operation: StsOperation;
  /** The AWS error code, e.g. "AccessDenied"; undefined for network errors. */
  readonly awsCode: string | undefined;
  /** AWS's own message (never contains a secret; truncated). */
  readonly awsMessage: string;
  readonly endpoint: string;
  /** For kind "timeout": what was waited for, and how long. */
  readonly waited: StsWait | undefined;

  constructor(fields: {
    kind: StsErrorKind;
    operation: StsOperation;
    awsCode: string | undefined;
    awsMessage: string;
    endpoint: string;
    waited?: StsWait;
    cause?: unknown;
  }) {
    const { code, message, hint } = describe(fields);
    super(code, message, { hint, cause: fields.cause });
    this.kind = fields.kind;
    this.operation = fields.operation;
    this.awsCode = fields.awsCode;
    this.awsMessage = fields.awsMessage;
    this.endpoint = fields.endpoint;
    this.waited = fields.waited;
  }
}

export interface StsWait {
  readonly for: "a connection" | "an answer";
  readonly ms: number;
}

function describe(f: {
  kind: StsErrorKind;
  operation: StsOperation;
  awsCode: string | undefined;
  awsMessage: string;
  endpoint: string;
  waited?: StsWait;
}): { code: `E_${string}`; message: string; hint: string } {
  const said = f.awsMessage === "" ? "" : `: ${f.awsMessage}`;
  switch (f.kind) {
    case "mfa-rejected":
      return {
        code: "E_MFA_REJECTED",
        message: `STS rejected the MFA code (${f.operation}${said}).`,
        hint: "The code was wrong or already used; wait for the next code and try again.",
      };
    case "access-denied":
      return {
        code: "E_STS_ACCESS_DENIED",
        message: `STS denied ${f.operation}${said}.`,
        hint: "Check the role's trust policy (MFA condition, external id) and the caller's permissions.",
      };
    case "expired-token":
      return {
        code: "E_STS_EXPIRED_TOKEN",
        message: `STS says the session token has expired (${f.operation}).`,
        hint: "Run the command again for a new session; 'awsmfa clear' drops cached sessions.",
      };
    case "invalid-client-token":
      return {
        code: "E_STS_INVALID_KEYS",
        message: `STS does not know the access key (${f.operation}${said}).`,
        hint: "The keys were deleted or rotated in IAM: add the current ones with 'awsmfa add'.",
      };
    case "clock-skew":
      return {
        code: "E_CLOCK_SKEW",
        message: `STS rejected the request as signed at the wrong time (${f.operation}${said}).`,
        hint: "This computer's clock is off; synchronise it (e.g. enable NTP) and try again.",
      };
    case "bad-signature":
      return {
        code: "E_STS_BAD_SIGNATURE",
        message: `STS rejected the request signature (${f.operation}): the secret access key does not match the key id.`,
        hint: "Re-add the keys with 'awsmfa add' and check the secret access key was copied exactly.",
      };
    case "validation":
      return {
        code: "E_STS_VALIDATION",
        message: `STS rejected the ${f.operation} parameters${said}.`,
        hint: "Check duration_seconds, role_session_name, external_id and session tags in the profile.",
      };
    case "throttled":
      return {
        code: "E_STS_THROTTLED",
        message: `STS is throttling requests (${f.operation}${said}).`,
        hint: "Wait a few seconds and try again.",
      };
    case "unreachable":
      return {
        code: "E_STS_UNREACHABLE",
        message: `Could not reach STS at ${f.endpoint} (${f.operation}${said}).`,
        hint: "Check the network, the region, and any endpoint_url / AWS_ENDPOINT_URL_STS setting.",
      };
    case "timeout": {
      // Same code as "unreachable": to the user both mean STS could not be used.
      const w = f.waited ?? { for: "an answer", ms: 0 };
      const what = w.for === "a connection" ? "did not accept a connection" : "did not answer";
      return {
        code: "E_STS_UNREACHABLE",
        message: `STS at ${f.endpoint} ${what} within ${seconds(w.ms)} s (${f.operation}).`,
        hint: "Check the network, the region, and any endpoint_url / AWS_ENDPOINT_URL_STS setting; then try again.",
      };
    }
    case "other":
      return {
        code: "E_STS_FAILED",
        message: `STS ${f.operation} failed${f.awsCode === undefined ? "" : ` with ${f.awsCode}`}${said}.`,
        hint: "Run with --debug for details.",
      };
  }
}

/** 15 s, 0.2 s */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ECONNABORTED",
  "CERT_HAS_EXPIRED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
]);

const MAX_AWS_MESSAGE = 300;
const MFA_WORDS = /multifactorauthentication|one time pass|mfa (code|token)|token code/i;

/**
 * Classifies anything an SDK call threw. `withMfa` says whether the call
 * carried a TokenCode, which is what turns AccessDenied into "wrong code".
 */
export function classifyStsError(
  e: unknown,
  ctx: { operation: StsOperation; endpoint: string; withMfa: boolean },
): StsError {
  if (e instanceof StsError) return e;
  const name = stringField(e, "name");
  const errno = stringField(e, "code");
  const message = (stringField(e, "message") ?? "").slice(0, MAX_AWS_MESSAGE);
  const hasHttpStatus = numberField(field(e, "$metadata"), "httpStatusCode") !== undefined;
  const awsCode = hasHttpStatus ? name : undefined;
  const make = (kind: StsErrorKind) =>
    new StsError({
      kind,
      operation: ctx.operation,
      awsCode,
      awsMessage: message,
      endpoint: ctx.endpoint,
      cause: e,
    });

  if (!hasHttpStatus) {
    if (
      (errno !== undefined && NETWORK_CODES.has(errno)) ||
      name === "TimeoutError" ||
      name === "RequestTimeout" ||
      name === "AbortError"
    ) {
      return new StsError({
        kind: "unreachable",
        operation: ctx.operation,
        awsCode: undefined,
        awsMessage: errno ?? name ?? "",
        endpoint: ctx.endpoint,
        cause: e,
      });
    }
  }
  switch (name) {
    case "AccessDenied":
    case "AccessDeniedException":
      // GetSessionToken with a code is only denied for the code; AssumeRole
      // may be denied by the trust policy, so look at what AWS said.
      if (ctx.withMfa && (ctx.operation === "GetSessionToken" || MFA_WORDS.test(message))) {
        return make("mfa-rejected");
      }
      return make("access-denied");
    case "ExpiredToken":
    case "ExpiredTokenException":
      return make("expired-token");
    case "InvalidClientTokenId":
    case "UnrecognizedClientException":
      return make("invalid-client-token");
    case "SignatureDoesNotMatch":
      return make(
        /signature expired|request has expired|time/i.test(message)
          ? "clock-skew"
          : "bad-signature",
      );
    case "RequestExpired":
    case "RequestTimeTooSkewed":
      return make("clock-skew");
    case "ValidationError":
    case "InvalidParameterValue":
    case "MalformedPolicyDocument":
    case "PackedPolicyTooLarge":
    case "MalformedPolicyDocumentException":
    case "PackedPolicyTooLargeException":
      return make("validation");
    case "Throttling":
    case "ThrottlingException":
      return make("throttled");
    default:
      return make(hasHttpStatus ? "other" : "unreachable");
  }
}

function field(v: unknown, key: string): unknown {
  if (typeof v !== "object" || v === null) return undefined;
  const value: unknown = Reflect.get(v, key);
  return value;
}
function stringField(v: unknown, key: string): string | undefined {
  const f = field(v, key);
  return typeof f === "string" ? f : undefined;
}
function numberField(v: unknown, key: string): number | undefined {
  const f = field(v, key);
  return typeof f === "number" ? f : undefined;
}
