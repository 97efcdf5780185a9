/**
 * The `credential_process` line migrate writes, and how to tell one that
 * already calls awsmfa for the same profile.
 */
import { AwsmfaError } from "../errors.ts";
import { parseAwsmfaCall } from "../credentials/credentialProcess.ts";

/** Words that both botocore (shlex) and a POSIX shell (the JS SDK) read back unchanged unquoted. */
const PLAIN_WORD = /^[A-Za-z0-9_\-@+.%:/=,]+$/;

function quote(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  if (word.includes("'") || /[\r\n]/.test(word)) {
    throw new AwsmfaError(
      "E_MIGRATE_UNQUOTABLE",
      `'${word.replace(/[\r\n]/g, "?")}' cannot be written into a credential_process line.`,
      { hint: "Use a path or name without quotes or line breaks." },
    );
  }
  return `'${word}'`;
}

/**
 * `awsmfa [globals] export --no-session --format credential-process <profile>`:
 * the long-term keys from the store, as the AWS tools read them from the
 * file before (no session, so no MFA prompt where there was none).
 * `globals` are global options the tools need to find the same store
 * (`--backend pass`), for stores chosen by a flag rather than the environment.
 */
export function credentialProcessLine(profile: string, globals: readonly string[] = []): string {
  return ["awsmfa", ...globals, "export", "--no-session", "--format", "credential-process", profile]
    .map(quote)
    .join(" ");
}

/** true when `command` runs awsmfa for `profile` itself. */
export function callsAwsmfaFor(command: string, profile: string): boolean {
  return parseAwsmfaCall(command)?.profile === profile;
}
