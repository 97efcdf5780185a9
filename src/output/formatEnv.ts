/**
 * Shell-sourceable environment output. Every value is quoted for its shell
 * so that no byte of a credential can end the quoting: a credential is data,
 * never code, whatever it contains.
 */
import { credentialVariables, type OutputCredentials } from "./credentials.ts";

export type ShellFormat = "env" | "export-env" | "fish" | "powershell";

/** POSIX sh single quotes: nothing inside is special except the quote itself. */
export function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** fish single quotes: backslash and quote are the only escapes. */
export function fishQuote(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** PowerShell single-quoted string: a quote is doubled; nothing else expands. */
export function powershellQuote(value: string): string {
  // PowerShell also treats the typographic quotes U+2018..U+201B as quotes.
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

export function formatEnv(c: OutputCredentials, format: ShellFormat): string {
  const vars = credentialVariables(c);
  const line = ([name, value]: [string, string]): string => {
    switch (format) {
      case "env":
        return `${name}=${shQuote(value)}`;
      case "export-env":
        return `export ${name}=${shQuote(value)}`;
      case "fish":
        return `set -gx ${name} ${fishQuote(value)};`;
      case "powershell":
        return `$Env:${name} = ${powershellQuote(value)}`;
    }
  };
  return vars.map(line).join("\n") + "\n";
}
