/**
 * Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE /
 * AWS_SHARED_CREDENTIALS_FILE) into an AwsConfig. A missing file is an empty
 * one; a file that exists but cannot be read, or does not parse, is an error
 * (never silently "no profiles"). Profile values are validated when a
 * profile is resolved (resolveProfile), so one bad profile does not break
 * commands about another.
 *
 * This is on the hot path (a cached credential_process reads it on every
 * call): two file reads and one linear pass each, no dependencies.
 */
import { readFile } from "node:fs/promises";
import { AwsmfaError } from "../errors.ts";
import { isErrno } from "../platform/fs.ts";
import { buildAwsConfig } from "./buildAwsConfig.ts";
import { parseIni } from "./IniDocument.ts";
import type { Env } from "../platform/env.ts";
import { awsConfigPaths, displayPath } from "./paths.ts";
import type { AwsConfig } from "./types.ts";

export interface LoadAwsConfigOptions {
  readonly env: Env;
  readonly homedir: string;
}

export async function loadAwsConfig(options: LoadAwsConfigOptions): Promise<AwsConfig> {
  const { configFile, credentialsFile } = awsConfigPaths(options.env, options.homedir);
  const configLabel = displayPath(configFile, options.homedir);
  const credentialsLabel = displayPath(credentialsFile, options.homedir);
  const [configText, credentialsText] = await Promise.all([
    readConfigText(configFile, configLabel),
    readConfigText(credentialsFile, credentialsLabel),
  ]);
  return buildAwsConfig({
    configFile,
    credentialsFile,
    configDoc: parseIni(configText, configLabel),
    credentialsDoc: parseIni(credentialsText, credentialsLabel),
  });
}

/** The file's text; "" when it does not exist. */
export async function readConfigText(path: string, label: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT")) return "";
    const why = isErrno(e, "EACCES")
      ? "permission denied"
      : isErrno(e, "EISDIR")
        ? "it is a directory"
        : e instanceof Error
          ? e.message
          : String(e);
    throw new AwsmfaError("E_CONFIG_READ", `Cannot read ${label}: ${why}.`, {
      hint: `Check that ${label} is a file you can read (or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere).`,
      cause: e,
    });
  }
}
