/** The process environment as code receives it (injected, never read from process.env inline). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A setting's value, or undefined when it is unset or empty: as the AWS SDKs
 * and aws-vault do, `AWSMFA_FILE_DIR=` means "not set", not "the empty path".
 */
export function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
