/**
 * The file backend as openStore loads it: where the store lives
 * (--file-dir, AWSMFA_FILE_DIR, ~/.awsmfa) and where its passphrase comes
 * from (AWSMFA_FILE_PASSPHRASE, aws-vault's AWS_VAULT_FILE_PASSPHRASE, else
 * the terminal, asked twice when the store is being created).
 */
import { AwsmfaError, isAwsmfaError } from "../../errors.ts";
import { nonEmpty, type Env } from "../../platform/env.ts";
import type { Tty } from "../../platform/tty.ts";
import { displayPath, fileStoreDir, type BackendContext } from "../backendContext.ts";
import type { SecretStore } from "../SecretStore.ts";
import { fileStore, type PassphraseSource } from "./fileStore.ts";

export function openBackend(ctx: BackendContext): Promise<SecretStore> {
  const dir = fileStoreDir(ctx);
  const where = displayPath(dir, ctx.homedir);
  return Promise.resolve(
    fileStore({
      dir,
      displayDir: where,
      clock: ctx.clock,
      passphrase: passphraseSource(ctx.env, ctx.tty),
      unlockEarly:
        ctx.unlockEarly && PASSPHRASE_VARS.some((v) => nonEmpty(ctx.env[v]) !== undefined),
      ...(ctx.fileScrypt === undefined ? {} : { scrypt: ctx.fileScrypt }),
      ...(ctx.warn === undefined ? {} : { warn: ctx.warn }),
      ...(ctx.agent === undefined ? {} : { agent: ctx.agent }),
    }),
  );
}

export const PASSPHRASE_VARS = ["AWSMFA_FILE_PASSPHRASE", "AWS_VAULT_FILE_PASSPHRASE"] as const;

/**
 * The passphrase: our variable, else aws-vault's (users migrating from it),
 * else the terminal. An empty variable counts as unset, as for every other
 * awsmfa variable.
 */
export function passphraseSource(env: Env, tty: () => Promise<Tty>): PassphraseSource {
  return async ({ creating, where }) => {
    for (const name of PASSPHRASE_VARS) {
      const value = nonEmpty(env[name]);
      if (value !== undefined) return value;
    }
    let terminal: Tty;
    try {
      terminal = await tty();
    } catch (e) {
      if (isAwsmfaError(e) && e.code === "E_NO_TTY") {
        throw new AwsmfaError(
          "E_NO_TTY",
          `No terminal to ask for the passphrase of the awsmfa file store at ${where}.`,
          {
            hint: "Set AWSMFA_FILE_PASSPHRASE, or run awsmfa from a terminal.",
            cause: e,
          },
        );
      }
      throw e;
    }
    try {
      if (!creating) {
        return await terminal.prompt(`Passphrase for the awsmfa file store at ${where}: `, {
          hidden: true,
        });
      }
      const first = await terminal.prompt(
        `New passphrase for the awsmfa file store at ${where}: `,
        { hidden: true },
      );
      const again = await terminal.prompt("Type it again: ", { hidden: true });
      if (first !== again) {
        throw new AwsmfaError(
          "E_STORE_PASSPHRASE_MISMATCH",
          `The two passphrases typed for the new awsmfa file store at ${where} differ.`,
          { hint: "Run the command again and type the same passphrase twice." },
        );
      }
      return first;
    } finally {
      terminal.close();
    }
  };
}
