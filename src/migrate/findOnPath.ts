/**
 * Where a command would be found on PATH, as the AWS CLI's credential_process
 * runner finds it. Environment and platform come in as values.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { Env } from "../platform/env.ts";

export async function findOnPath(
  command: string,
  env: Env,
  platform: NodeJS.Platform,
): Promise<string | undefined> {
  const path = env.PATH ?? env.Path ?? "";
  const exts =
    platform === "win32"
      ? ["", ...(env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e !== "")]
      : [""];
  for (const dir of path.split(platform === "win32" ? ";" : delimiter)) {
    if (dir === "") continue;
    for (const ext of exts) {
      const candidate = join(dir, command + ext.toLowerCase());
      try {
        if (!(await stat(candidate)).isFile()) continue;
        if (platform !== "win32") await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here (missing or not executable): try the next directory
      }
    }
  }
  return undefined;
}
