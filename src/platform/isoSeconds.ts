/**
 * RFC 3339 without milliseconds, as AWS prints expirations. Shared by the
 * output formatters and by the credentials-file sections `write` makes
 * (src/config/writtenSections.ts), so it lives below both.
 */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
