import { AwsmfaError } from "../errors.ts";

/** Long-term access key ids: AKIA + 16 upper-case letters/digits (ASIA for temporary ones). */
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
/** Secret access keys: 40 characters of base64. */
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+=]{40}$/;

export function checkAccessKeyId(value: string, from: string): string {
  const v = value.trim();
  if (!ACCESS_KEY_ID.test(v)) {
    // Never echo what was typed: it may be a secret pasted into the wrong prompt.
    throw new AwsmfaError(
      "E_BAD_ACCESS_KEY_ID",
      `The access key id from ${from} does not look like one (AKIA followed by 16 upper-case letters or digits, ${v.length} characters given).`,
      {
        hint: "Copy the access key id from the IAM console or 'aws iam create-access-key' and try again.",
      },
    );
  }
  return v;
}

export function checkSecretAccessKey(value: string, from: string): string {
  const v = value.trim();
  if (!SECRET_ACCESS_KEY.test(v)) {
    throw new AwsmfaError(
      "E_BAD_SECRET_ACCESS_KEY",
      `The secret access key from ${from} does not look like one (40 characters of A-Z, a-z, 0-9, /, +; ${v.length} characters given).`,
      { hint: "Copy the secret access key exactly as AWS showed it and try again." },
    );
  }
  return v;
}
