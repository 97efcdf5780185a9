/** The process environment as code receives it (injected, never read from process.env inline). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A setting's value, or undefined when it is unset or empty: as the AWS SDKs
 * and aws-vault do, `AWSMFA_FILE_DIR=` means "not set", not "the empty path".
 */
export function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

/**
 * A value with surrounding whitespace removed, or undefined when nothing is
 * left: for values that are read as URLs or names (`endpoint_url = `,
 * `AWS_ENDPOINT_URL=" "`), where blank means unset as it does for the SDKs.
 */
export function nonBlank(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === "" ? undefined : t;
}
