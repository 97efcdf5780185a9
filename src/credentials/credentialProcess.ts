/**
 * credential_process: recognising one that calls awsmfa back (so we never
 * recurse into ourselves), and reading the JSON (Version 1) one prints.
 */
import { basename } from "node:path";
import { AwsmfaError } from "../errors.ts";
import { splitCommandLine } from "./commandLine.ts";

/** Options of awsmfa commands that take a value, so their value is not taken for the profile. */
const OPTIONS_WITH_VALUE = new Set([
  "--format",
  "-f",
  "-d",
  "--duration",
  "--region",
  "-t",
  "--mfa-token",
  "--backend",
  "--file-dir",
  "--prompt",
  "--to",
]);
const LAUNCHERS = new Set(["npx", "bunx", "pnpx"]);
const LAUNCHER_WITH_SUBCOMMAND = new Set(["pnpm", "yarn", "bun"]);

export interface AwsmfaCall {
  /** The profile it asks for; undefined when none is named (awsmfa's default applies). */
  readonly profile: string | undefined;
}

/**
 * When `command` runs awsmfa (`awsmfa ...`, `npx awsmfa ...`, `node .../awsmfa.cjs ...`),
 * the profile it asks for; otherwise undefined.
 */
export function parseAwsmfaCall(command: string): AwsmfaCall | undefined {
  const split = splitCommandLine(command);
  // With shell syntax (e.g. "awsmfa export p 2>/dev/null") the words before
  // it are still the command; a rough split is enough to recognise us.
  const words = split.kind === "argv" ? [...split.argv] : command.trim().split(/\s+/);
  let i: number;
  const isAwsmfa = (w: string | undefined) =>
    w !== undefined && /^awsmfa(\.[mc]?js|\.cmd|\.exe|\.ps1)?$/.test(basename(w));
  const first = words[0];
  if (first === undefined) return undefined;
  const prog = basename(first).replace(/\.exe$/, "");
  if (isAwsmfa(first)) {
    i = 1;
  } else if (LAUNCHERS.has(prog) || LAUNCHER_WITH_SUBCOMMAND.has(prog)) {
    i = 1;
    if (
      LAUNCHER_WITH_SUBCOMMAND.has(prog) &&
      (words[1] === "dlx" || words[1] === "exec" || words[1] === "x")
    )
      i = 2;
    while (words[i]?.startsWith("-") === true) i++;
    if (!isAwsmfa(words[i]) && words[i] !== "awsmfa") return undefined;
    i++;
  } else if (prog === "node" || prog === "nodejs") {
    i = 1;
    while (words[i]?.startsWith("-") === true) i++;
    const script = words[i];
    if (script === undefined) return undefined;
    if (!isAwsmfa(script) && !/[\\/]awsmfa[\\/](dist|bin)[\\/]/.test(script)) return undefined;
    i++;
  } else {
    return undefined;
  }
  // awsmfa [globals] <command> [options] [profile] ...
  let sawCommand = false;
  for (; i < words.length; i++) {
    const w = words[i] ?? "";
    if (w === "--") break;
    if (w.startsWith("-")) {
      if (!w.includes("=") && OPTIONS_WITH_VALUE.has(w)) i++;
      continue;
    }
    if (!sawCommand) {
      sawCommand = true;
      continue;
    }
    return { profile: w };
  }
  return { profile: undefined };
}

export interface ProcessCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/**
 * Reads what a credential_process printed. Messages never include the
 * output: it is full of secrets.
 */
export function parseCredentialProcessOutput(
  stdout: string,
  what: string,
  nowMs: number,
): ProcessCredentials {
  const bad = (detail: string) =>
    new AwsmfaError("E_CREDENTIAL_PROCESS_OUTPUT", `The ${what} printed ${detail}.`, {
      hint: 'It must print JSON: {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}.',
    });
  let v: unknown;
  try {
    v = JSON.parse(stdout);
  } catch {
    throw bad("something that is not JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw bad("JSON that is not an object");
  const get = (k: string): unknown => {
    const value: unknown = Reflect.get(v, k);
    return value;
  };
  const version = get("Version");
  if (version !== 1)
    throw bad(
      `Version ${version === undefined ? "missing" : JSON.stringify(version)} (only 1 is defined)`,
    );
  const accessKeyId = get("AccessKeyId");
  const secretAccessKey = get("SecretAccessKey");
  const sessionToken = get("SessionToken");
  const expiration = get("Expiration");
  if (typeof accessKeyId !== "string" || accessKeyId === "") throw bad("no AccessKeyId");
  if (typeof secretAccessKey !== "string" || secretAccessKey === "")
    throw bad("no SecretAccessKey");
  if (sessionToken !== undefined && sessionToken !== null && typeof sessionToken !== "string") {
    throw bad("a SessionToken that is not a string");
  }
  let exp: Date | undefined;
  if (expiration !== undefined && expiration !== null) {
    if (typeof expiration !== "string" || Number.isNaN(Date.parse(expiration))) {
      throw bad("an Expiration that is not an ISO 8601 time");
    }
    exp = new Date(expiration);
    if (exp.getTime() <= nowMs) {
      throw new AwsmfaError(
        "E_CREDENTIAL_PROCESS_EXPIRED",
        `The ${what} returned credentials that expired at ${exp.toISOString()}.`,
        { hint: "Check what the command caches, or the computer's clock." },
      );
    }
  }
  return {
    accessKeyId,
    secretAccessKey,
    ...(typeof sessionToken === "string" && sessionToken !== "" ? { sessionToken } : {}),
    ...(exp === undefined ? {} : { expiration: exp }),
  };
}
