/**
 * What the entry point (../awsVault.ts) needs from each aws-vault store it
 * reads, one file per store (fileSource.ts, passSource.ts,
 * secretServiceSource.ts), and what they share: the item JSON aws-vault's
 * keyring library wraps every secret in, and the bounded run of a tool.
 */
import { join } from "node:path";
import { AwsmfaError } from "../../errors.ts";
import type { Env } from "../../platform/env.ts";
import { runTool, type ToolRun } from "../../platform/runTool.ts";

/** Reads one aws-vault store. */
export interface Source {
  /** Where we read from, for the user (a directory, a pass prefix, a collection). */
  readonly location: string;
  /** Every item key (profiles, sessions, tokens; filtered by the caller). */
  keys(): Promise<string[]>;
  /** The item's data: the credentials JSON. */
  read(key: string): Promise<Buffer>;
}

/** What a source is opened with (a part of ImportFromAwsVaultInput). */
export interface SourceInput {
  readonly env: Env;
  readonly homedir: string;
  /** Asked (once) for the file backend's passphrase when AWS_VAULT_FILE_PASSPHRASE is unset. */
  readonly passphrase: (prompt: string) => Promise<string>;
}

export function expandHome(path: string, homedir: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir, path.slice(1)) : path;
}

/** The keyring item JSON aws-vault's file, pass and secret-service backends store. */
export function itemData(json: string, where: string): Buffer {
  let item: unknown;
  try {
    item = JSON.parse(json);
  } catch {
    throw new AwsmfaError("E_IMPORT_MALFORMED", `${where} is not an aws-vault item (not JSON).`);
  }
  if (
    typeof item !== "object" ||
    item === null ||
    !("Data" in item) ||
    typeof item.Data !== "string"
  ) {
    throw new AwsmfaError(
      "E_IMPORT_MALFORMED",
      `${where} is not an aws-vault item (no Data field).`,
    );
  }
  return Buffer.from(item.Data, "base64");
}

/** Runs a tool a store is read through (pass, dbus-send, secret-tool), bounded. */
export function runCommand(
  cmd: string,
  args: readonly string[],
  env: Env,
  timeoutMs: number,
): Promise<ToolRun> {
  return runTool(cmd, args, {
    env,
    timeoutMs,
    timedOut: () =>
      new AwsmfaError(
        "E_IMPORT_TIMEOUT",
        `${cmd} ${args[0] ?? ""} did not finish in ${String(timeoutMs / 1000)} s.`,
        { hint: "Unlock the store aws-vault used (keyring, gpg-agent) and try again." },
      ),
    missing: () =>
      new AwsmfaError(
        "E_IMPORT_TOOL_MISSING",
        `${cmd} is not installed; it is needed to read aws-vault's store.`,
        { hint: `Install ${cmd}, or import with --from another backend.` },
      ),
  });
}
