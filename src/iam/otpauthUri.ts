/**
 * The otpauth:// URI an authenticator app scans, as the IAM console's QR
 * code carries it: label "Amazon Web Services:<device>@<account>", issuer
 * "Amazon Web Services", TOTP with the app defaults AWS uses (SHA-1, 6
 * digits, 30 s). It holds the seed: shown on the terminal only.
 */
export function otpauthUri(serialNumber: string, base32Seed: string): string {
  const m = /^arn:[^:]+:iam::(\d{12}):mfa\/(?:.*\/)?([^/]+)$/.exec(serialNumber);
  const account = m?.[1] ?? "aws";
  const device = m?.[2] ?? serialNumber;
  const issuer = "Amazon Web Services";
  const label = `${issuer}:${device}@${account}`;
  return `otpauth://totp/${encodeURIComponent(label)}?secret=${encodeURIComponent(base32Seed)}&issuer=${encodeURIComponent(issuer)}`;
}
