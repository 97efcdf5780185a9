/**
 * An error as AWS returns it: HTTP status, error code and message text.
 * Message texts follow what AWS sends (see README.md for the sources).
 */
export class AwsFault extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: "Sender" | "Receiver";

  constructor(
    status: number,
    code: string,
    message: string,
    type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
    this.name = "AwsFault";
    this.status = status;
    this.code = code;
    this.type = type;
  }
}

export const faults = {
  missingAuth: () =>
    new AwsFault(403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
  incompleteSignature: (detail: string) => new AwsFault(400, "IncompleteSignature", detail),
  invalidClientTokenId: () =>
    new AwsFault(
      403,
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
    ),
  signatureDoesNotMatch: () =>
    new AwsFault(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. " +
        "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    ),
  signatureExpired: (signed: string, earliest: string, now: string) =>
    new AwsFault(
      403,
      "SignatureDoesNotMatch",
      `Signature expired: ${signed} is now earlier than ${earliest} (${now} - 5 min.)`,
    ),
  signatureNotYetCurrent: (signed: string, latest: string, now: string) =>
    new AwsFault(
      403,
      "SignatureDoesNotMatch",
      `Signature not yet current: ${signed} is still later than ${latest} (${now} + 5 min.)`,
    ),
  expiredToken: () =>
    new AwsFault(403, "ExpiredToken", "The security token included in the request is expired"),
  accessDenied: (message: string) => new AwsFault(403, "AccessDenied", message),
  invalidMfaCode: () =>
    new AwsFault(
      403,
      "AccessDenied",
      "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    ),
  validation: (message: string) => new AwsFault(400, "ValidationError", message),
  invalidAction: (action: string, version: string) =>
    new AwsFault(400, "InvalidAction", `Could not find operation ${action} for version ${version}`),
  missingParameter: (name: string) =>
    new AwsFault(400, "MissingParameter", `The request must contain the parameter ${name}`),
  noSuchEntity: (message: string) => new AwsFault(404, "NoSuchEntity", message),
  entityAlreadyExists: (message: string) => new AwsFault(409, "EntityAlreadyExists", message),
  limitExceeded: (message: string) => new AwsFault(409, "LimitExceeded", message),
  invalidAuthenticationCode: () =>
    new AwsFault(403, "InvalidAuthenticationCode", "Authentication code for device is not valid."),
  serviceFailure: (message: string) => new AwsFault(500, "ServiceFailure", message, "Receiver"),
};

/** AWS's "1 validation error detected: ..." text for one parameter. */
export function constraintError(value: string, field: string, constraint: string): AwsFault {
  return faults.validation(
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}
