/**
 * aws-vault's pass backend: `pass show <AWS_VAULT_PASS_PREFIX>/<key>` in
 * AWS_VAULT_PASS_PASSWORD_STORE_DIR (default ~/.password-store); the entry
 * is the keyring item JSON.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { AwsmfaError } from "../../errors.ts";
import { nonEmpty } from "../../platform/env.ts";
import { isErrno } from "../../platform/fs.ts";
import { expandHome, itemData, runCommand, type Source, type SourceInput } from "./Source.ts";

export function passSource(input: SourceInput, timeoutMs: number): Source {
  const dir = expandHome(
    nonEmpty(input.env.AWS_VAULT_PASS_PASSWORD_STORE_DIR) ?? join(input.homedir, ".password-store"),
    input.homedir,
  );
  const prefix = input.env.AWS_VAULT_PASS_PREFIX ?? "";
  const cmd = nonEmpty(input.env.AWS_VAULT_PASS_CMD) ?? "pass";
  const env = { ...input.env, PASSWORD_STORE_DIR: dir };
  const entry = (key: string) => (prefix === "" ? key : `${prefix.replace(/\/+$/, "")}/${key}`);
  const walk = async (d: string, rel: string, out: string[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      if (isErrno(e, "ENOENT")) return;
      throw e;
    }
    for (const x of entries) {
      if (x.name.startsWith(".")) continue;
      const r = rel === "" ? x.name : `${rel}/${x.name}`;
      if (x.isDirectory()) await walk(join(d, x.name), r, out);
      else if (x.isFile() && x.name.endsWith(".gpg")) out.push(r.slice(0, -4));
    }
  };
  return {
    location: `pass ${prefix === "" ? "" : `${prefix}/ `}in ${dir}`,
    async keys() {
      const out: string[] = [];
      await walk(join(dir, prefix), "", out);
      return out;
    },
    async read(key) {
      const r = await runCommand(cmd, ["show", entry(key)], env, timeoutMs);
      if (r.code !== 0) {
        throw new AwsmfaError(
          "E_IMPORT_READ",
          `pass show ${entry(key)} failed: ${r.stderr.trim().split("\n").slice(-1).join("")}`,
        );
      }
      return itemData(r.stdout, `pass entry ${entry(key)}`);
    },
  };
}
