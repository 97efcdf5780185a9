/**
 * Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE /
 * AWS_SHARED_CREDENTIALS_FILE) into an AwsConfig. A missing file is an empty
 * one, with one exception: a config file the user named in AWS_CONFIG_FILE
 * that does not exist is an error (E_CONFIG_NOT_FOUND). That file is where
 * mfa_serial and role_arn live; reading it as empty would quietly hand out
 * credentials without MFA or role. A missing credentials file stays normal
 * even when named (many set-ups have none, and `write` creates it); which
 * files were missing is in AwsConfig for --debug and `list`.
 *
 * A file that exists but cannot be read, is not a regular file (a FIFO
 * would block the read forever) or does not parse is an error (never
 * silently "no profiles"). Profile values are validated when a profile is
 * resolved (resolveProfile), so one bad profile does not break commands
 * about another.
 *
 * This is on the hot path (a cached credential_process reads it on every
 * call): two file reads, and for a plain file only the sections asked for
 * are parsed (lazyAwsConfig.ts).
 */
import { AwsmfaError } from "../errors.ts";
import { isErrno } from "../platform/fs.ts";
import { readRegularFile } from "../platform/readRegularFile.ts";
import { buildAwsConfig } from "./buildAwsConfig.ts";
import { parseIni } from "./IniDocument.ts";
import { lazyAwsConfig } from "./lazyAwsConfig.ts";
import type { Env } from "../platform/env.ts";
import { awsConfigPaths, displayPath } from "./paths.ts";
import type { AwsConfig } from "./types.ts";

export interface LoadAwsConfigOptions {
  readonly env: Env;
  readonly homedir: string;
  /**
   * A config file named by AWS_CONFIG_FILE may be missing: the caller is
   * about to create it (`add --add-config`).
   */
  readonly configMayBeMissing?: boolean;
}

export async function loadAwsConfig(options: LoadAwsConfigOptions): Promise<AwsConfig> {
  const { configFile, credentialsFile } = awsConfigPaths(options.env, options.homedir);
  const configLabel = displayPath(configFile, options.homedir);
  const credentialsLabel = displayPath(credentialsFile, options.homedir);
  const [configText, credentialsText] = await Promise.all([
    readConfigFile(configFile, configLabel),
    readConfigFile(credentialsFile, credentialsLabel),
  ]);
  const namedConfig = options.env["AWS_CONFIG_FILE"];
  if (
    configText === undefined &&
    namedConfig !== undefined &&
    namedConfig !== "" &&
    options.configMayBeMissing !== true
  ) {
    throw new AwsmfaError(
      "E_CONFIG_NOT_FOUND",
      `The config file ${configLabel} named by AWS_CONFIG_FILE does not exist.`,
      {
        hint: `Fix or unset AWS_CONFIG_FILE (unset, ~/.aws/config is read), or create ${configLabel}. Without it, profiles would lose their mfa_serial, role_arn and region.`,
      },
    );
  }
  // Read as far as asked when the texts allow it (lazyAwsConfig.ts), else
  // parsed whole, which reports any syntax error now.
  const config =
    lazyAwsConfig({
      configFile,
      credentialsFile,
      configText: configText ?? "",
      credentialsText: credentialsText ?? "",
      configLabel,
      credentialsLabel,
    }) ??
    buildAwsConfig({
      configFile,
      credentialsFile,
      configDoc: parseIni(configText ?? "", configLabel),
      credentialsDoc: parseIni(credentialsText ?? "", credentialsLabel),
    });
  return {
    ...config,
    configFileExists: configText !== undefined,
    credentialsFileExists: credentialsText !== undefined,
  };
}

/** The file's text; "" when it does not exist. */
export async function readConfigText(path: string, label: string): Promise<string> {
  return (await readConfigFile(path, label)) ?? "";
}

/** The file's text; undefined when it does not exist. */
async function readConfigFile(path: string, label: string): Promise<string | undefined> {
  try {
    const read = await readRegularFile(path);
    if (read.kind === "missing") return undefined;
    if (read.kind === "not-regular") {
      throw new AwsmfaError(
        "E_CONFIG_READ",
        `Cannot read ${label}: it is ${read.what}, not a regular file.`,
        {
          hint: `Replace ${label} with a regular file (or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at one).`,
        },
      );
    }
    return read.bytes.toString("utf8");
  } catch (e) {
    if (e instanceof AwsmfaError) throw e;
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
