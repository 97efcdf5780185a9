/**
 * Splits a credential_process / mfa_process command line into argv the way
 * a POSIX shell would for simple commands (words, '...', "...", backslash
 * escapes), so we can run it without a shell. Anything that needs a real
 * shell (pipes, redirections, variables, globs, `VAR=value cmd`) is reported
 * as such and the caller falls back to /bin/sh -c.
 */

export type SplitCommand =
  | { readonly kind: "argv"; readonly argv: readonly string[] }
  | { readonly kind: "shell"; readonly reason: string };

/** Characters that mean something to a shell when unquoted. */
const SHELL_SYNTAX = new Set("|&;<>()$`*?[]{}~#!\n\r".split(""));

export function splitCommandLine(line: string): SplitCommand {
  const argv: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  const shell = (reason: string): SplitCommand => ({ kind: "shell", reason });
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === " " || c === "\t") {
      if (inWord) {
        argv.push(word);
        word = "";
        inWord = false;
      }
      i++;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return shell("an unterminated single quote");
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return shell("an unterminated double quote");
        const d = line.charAt(i);
        if (d === '"') break;
        if (d === "$" || d === "`") return shell(`'${d}' inside double quotes`);
        if (d === "\\") {
          const next = line.charAt(i + 1);
          if (next === '"' || next === "\\" || next === "$" || next === "`") {
            word += next;
            i += 2;
            continue;
          }
          if (next === "\n") {
            i += 2;
            continue;
          }
        }
        word += d;
        i++;
      }
      inWord = true;
      i++;
      continue;
    }
    if (c === "\\") {
      if (i + 1 >= line.length) return shell("a trailing backslash");
      const next = line.charAt(i + 1);
      if (next !== "\n") {
        word += next;
        inWord = true;
      }
      i += 2;
      continue;
    }
    if (SHELL_SYNTAX.has(c)) return shell(`'${c === "\n" ? "\\n" : c}'`);
    if (c === "=" && argv.length === 0 && inWord && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) {
      return shell("a variable assignment before the command");
    }
    word += c;
    inWord = true;
    i++;
  }
  if (inWord) argv.push(word);
  return { kind: "argv", argv };
}
