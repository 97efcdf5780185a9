/**
 * aws-vault's file backend: one JWE per item in ~/.awsvault/keys/
 * (AWS_VAULT_FILE_DIR), file name = key with "%" and "/" percent-encoded,
 * payload = the keyring item JSON; passphrase from AWS_VAULT_FILE_PASSPHRASE
 * or a prompt.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { AwsmfaError } from "../../errors.ts";
import { nonEmpty } from "../../platform/env.ts";
import { isErrno } from "../../platform/fs.ts";
import { decryptAwsVaultJwe } from "../awsVaultJwe.ts";
import { expandHome, itemData, type Source, type SourceInput } from "./Source.ts";

/** mtibben/percent.Decode: every "%XX" becomes the byte 0xXX. */
function percentDecode(s: string): string {
  return Buffer.from(
    s.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");
}

function percentEncodeFileName(key: string): string {
  let out = "";
  for (const ch of key) {
    if (ch === "%" || ch === "/") out += `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
    else out += ch;
  }
  return out;
}

export function fileSource(input: SourceInput): Source {
  const dir = expandHome(
    nonEmpty(input.env.AWS_VAULT_FILE_DIR) ?? "~/.awsvault/keys/",
    input.homedir,
  );
  let passphrase: string | undefined;
  const getPassphrase = async () => {
    // An empty variable counts as unset, as for every awsmfa variable.
    const fromEnv = input.env.AWS_VAULT_FILE_PASSPHRASE;
    passphrase ??=
      nonEmpty(fromEnv) ?? (await input.passphrase(`Passphrase of aws-vault's file store ${dir}`));
    return passphrase;
  };
  return {
    location: dir,
    async keys() {
      try {
        const names = await readdir(dir);
        return names.filter((n) => !n.startsWith(".")).map(percentDecode);
      } catch (e) {
        if (isErrno(e, "ENOENT")) {
          throw new AwsmfaError(
            "E_IMPORT_NOT_FOUND",
            `aws-vault's file store ${dir} does not exist.`,
            {
              hint: "Point AWS_VAULT_FILE_DIR at it, or pick the store aws-vault used with --from.",
            },
          );
        }
        throw e;
      }
    },
    async read(key) {
      const path = join(dir, percentEncodeFileName(key));
      const token = await readFile(path, "utf8");
      const payload = decryptAwsVaultJwe(token, await getPassphrase(), path);
      return itemData(payload.toString("utf8"), path);
    },
  };
}
