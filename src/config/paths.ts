/**
 * Where the shared AWS files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE
 * when set and non-empty (as the SDK: an empty variable means "unset"), else
 * ~/.aws/config and ~/.aws/credentials. A leading `~` or `~/` is the home
 * directory (the SDK expands `~/`; botocore expands `~` too).
 */
import { join, sep } from "node:path";
import type { Env } from "../platform/env.ts";

export interface AwsConfigPaths {
  readonly configFile: string;
  readonly credentialsFile: string;
}

export function awsConfigPaths(env: Env, homedir: string): AwsConfigPaths {
  return {
    configFile: expandHome(env["AWS_CONFIG_FILE"] || join(homedir, ".aws", "config"), homedir),
    credentialsFile: expandHome(
      env["AWS_SHARED_CREDENTIALS_FILE"] || join(homedir, ".aws", "credentials"),
      homedir,
    ),
  };
}

/** `~` and `~/x` (and `~\x` on Windows) -> under homedir; anything else unchanged. */
export function expandHome(path: string, homedir: string): string {
  if (path === "~") return homedir;
  if (path.startsWith("~/") || (sep === "\\" && path.startsWith("~\\"))) {
    return join(homedir, path.slice(2));
  }
  return path;
}

/** How a path is shown in messages: `~/.aws/config` when under homedir. */
export function displayPath(path: string, homedir: string): string {
  if (homedir === "" || homedir === sep) return path;
  const home = homedir.endsWith(sep) ? homedir.slice(0, -1) : homedir;
  if (path === home) return "~";
  if (path.startsWith(home + sep))
    return `~/${path
      .slice(home.length + 1)
      .split(sep)
      .join("/")}`;
  return path;
}
