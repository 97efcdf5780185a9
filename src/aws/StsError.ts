/**
 * An STS call that failed, classified. The adapter (sts.ts) turns whatever
 * the SDK throws into one of these; the engine then adds what only it knows
 * (which profile's keys, which MFA device) with `explainStsError`.
 */
import { AwsmfaError, type ErrorCode } from "../errors.ts";

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

export type StsOperation =
  "GetSessionToken" | "AssumeRole" | "GetCallerIdentity" | "GetFederationToken";

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
  /**
   * For kind "clock-skew", when STS sent its time (the HTTP Date header):
   * how far this computer's clock was ahead of it (negative: behind).
   */
  readonly skewMs: number | undefined;

  constructor(fields: {
    kind: StsErrorKind;
    operation: StsOperation;
    awsCode: string | undefined;
    awsMessage: string;
    endpoint: string;
    waited?: StsWait;
    skewMs?: number;
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
    this.skewMs = fields.skewMs;
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
  skewMs?: number;
}): { code: ErrorCode; message: string; hint: string } {
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
        message:
          f.skewMs === undefined
            ? `STS rejected the request as signed at the wrong time (${f.operation}${said}).`
            : `STS rejected the request as signed at the wrong time (${f.operation}): this computer's clock is ${describeSkew(f.skewMs)} STS's.`,
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

/** "10 min ahead of", "2 h 3 min behind" */
function describeSkew(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const amount = h === 0 ? `${String(m)} min` : `${String(h)} h ${String(m)} min`;
  return `${amount} ${ms > 0 ? "ahead of" : "behind"}`;
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
/**
 * AWS refuses a signature dated more than a few minutes from its own time
 * (fake-aws: 5). The SDK itself calls a clock skewed at 4 minutes; a Date
 * header that far from the signing time explains a rejected signature
 * better than a wrong secret key does (and once the clock is fixed, a wrong
 * key, if there is one too, gets its own message).
 */
const SKEW_MS = 4 * 60_000;
/** The errors AWS gives for a signature it could not accept, a mis-dated one included. */
const SIGNATURE_ERRORS = new Set([
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "IncompleteSignature",
  "RequestExpired",
  "RequestTimeTooSkewed",
]);
const MFA_WORDS = /multifactorauthentication|one time pass|mfa (code|token)|token code/i;

/**
 * Classifies anything an SDK call threw. `withMfa` says whether the call
 * carried a TokenCode, which is what turns AccessDenied into "wrong code".
 * `signedAtMs` is when the request was signed, on the signer's clock: a
 * signature error whose response's Date header is minutes away from it is
 * this computer's clock, not its keys (ahead of AWS, the SDK gets "Signature
 * not yet current", which says nothing about time a pattern could rely on).
 */
export function classifyStsError(
  e: unknown,
  ctx: { operation: StsOperation; endpoint: string; withMfa: boolean; signedAtMs?: number },
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
  const serverMs = serverTime(e);
  const skewMs =
    serverMs === undefined || ctx.signedAtMs === undefined ? undefined : ctx.signedAtMs - serverMs;
  if (
    name !== undefined &&
    SIGNATURE_ERRORS.has(name) &&
    skewMs !== undefined &&
    Math.abs(skewMs) >= SKEW_MS
  ) {
    return new StsError({
      kind: "clock-skew",
      operation: ctx.operation,
      awsCode,
      awsMessage: message,
      endpoint: ctx.endpoint,
      skewMs,
      cause: e,
    });
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
        /signature expired|not yet current|request has expired|time/i.test(message)
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

/** The HTTP Date header of the response the SDK error came from (`$response`), as epoch ms. */
function serverTime(e: unknown): number | undefined {
  const headers = field(field(e, "$response"), "headers");
  if (typeof headers !== "object" || headers === null) return undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === "date" && typeof v === "string") {
      const ms = Date.parse(v);
      return Number.isNaN(ms) ? undefined : ms;
    }
  }
  return undefined;
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
