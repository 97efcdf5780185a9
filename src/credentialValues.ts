/**
 * Credentials as formatters and writers see them, and the one check they
 * all run before credentials become text. Beside errors.ts: config/ (write)
 * and output/ (formatters) both use it, and neither imports the other.
 */
import { AwsmfaError } from "./errors.ts";

/** Temporary or long-term credentials as the formatters see them. */
export interface OutputCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
  readonly region?: string | undefined;
}

/**
 * The one check every formatter (and `write`) runs before credentials
 * become text: no value may hold a control character. A line break in a
 * value would end its line in an ini or env file and start another (a new
 * section, a new variable); AWS STS never returns one, so such a value came
 * from a broken endpoint or credential_process and is refused, not escaped.
 * Throws E_CREDENTIAL_VALUE naming the field, never the value.
 */
export function checkCredentialValues(c: OutputCredentials): void {
  // Named in messages by what they are, never by value (it may be a secret).
  const values: [what: string, value: string | undefined][] = [
    ["access key id", c.accessKeyId],
    ["secret access key", c.secretAccessKey],
    ["session token", c.sessionToken],
    ["region", c.region],
  ];
  for (const [what, value] of values) {
    if (value === undefined || !hasControlCharacter(value)) continue;
    throw new AwsmfaError(
      "E_CREDENTIAL_VALUE",
      `The ${what} awsmfa got contains a line break or another control character; awsmfa will not print or write it.`,
      {
        hint: "AWS STS never returns such a value: check the STS endpoint (AWS_ENDPOINT_URL_STS, endpoint_url), the credential_process that produced it, or --region.",
      },
    );
  }
}

/** C0 controls (line breaks, tab, NUL, ESC) and DEL. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
