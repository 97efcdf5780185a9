import { AwsmfaError } from "../errors.ts";

/** TOTP codes AWS accepts: six digits. */
const MFA_CODE = /^\d{6}$/;

/**
 * Checks an MFA code's shape before anything is sent: trimmed, inner spaces
 * dropped ("123 456" as some apps show it), then exactly six digits.
 * The message never repeats what was given (it could be a pasted secret).
 */
export function checkMfaCode(value: string, from: string): string {
  const code = value.trim().replace(/\s+/g, "");
  if (!MFA_CODE.test(code)) {
    throw new AwsmfaError(
      "E_BAD_MFA_CODE",
      `The MFA code from ${from} is not 6 digits (${code.length} characters given).`,
      { hint: "Give the 6-digit code your authenticator app or security key shows." },
    );
  }
  return code;
}

export function isMfaCodeShape(value: string): boolean {
  return MFA_CODE.test(value);
}
