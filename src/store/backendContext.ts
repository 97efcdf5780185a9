/**
 * What openStore hands a backend module, and where the store's files live.
 * The backends import this, never the dispatcher (openStore.ts), which loads
 * them: so the imports point one way.
 */
import { join } from "node:path";
import { nonEmpty, type Env } from "../platform/env.ts";
import type { Clock } from "../platform/clock.ts";
import type { Tty } from "../platform/tty.ts";
import type { ScryptParams } from "./file/crypto.ts";
import type { KeyAgent } from "./file/keyAgent.ts";
import type { SecretStore } from "./SecretStore.ts";

/** What a backend module gets: the options with defaults applied. */
export interface BackendContext {
  readonly env: Env;
  readonly homedir: string;
  readonly clock: Clock;
  readonly tty: () => Promise<Tty>;
  readonly fileDir: string | undefined;
  readonly fileScrypt: ScryptParams | undefined;
  readonly unlockEarly: boolean;
  readonly platform: NodeJS.Platform;
  /** The node binary that runs helper processes (the keyring helper). */
  readonly nodePath: string;
  /** This user's id, where the platform has one. */
  readonly uid: number | undefined;
  readonly warn: ((message: string) => void) | undefined;
  readonly agent: KeyAgent | undefined;
}

/** The shape of every backend module (e.g. src/store/file/backend.ts). */
export interface BackendModule {
  openBackend(ctx: BackendContext): Promise<SecretStore>;
  /**
   * Whether this backend can be used here (the keyring answers). Only asked
   * when choosing a default; a backend asked for by name is just opened.
   */
  available?(ctx: BackendContext): Promise<boolean>;
}

/** --file-dir, else AWSMFA_FILE_DIR, else ~/.awsmfa; a leading "~/" is the home directory. */
export function fileStoreDir(ctx: {
  readonly env: Env;
  readonly fileDir?: string | undefined;
  readonly homedir: string;
}): string {
  const given = nonEmpty(ctx.fileDir) ?? nonEmpty(ctx.env.AWSMFA_FILE_DIR);
  if (given === undefined) return join(ctx.homedir, ".awsmfa");
  if (given === "~") return ctx.homedir;
  if (given.startsWith("~/")) return join(ctx.homedir, given.slice(2));
  return given;
}

/** dir as shown to the user: "~/.awsmfa" rather than "/home/jane/.awsmfa". */
export function displayPath(dir: string, homedir: string): string {
  if (homedir !== "" && (dir === homedir || dir.startsWith(`${homedir}/`))) {
    return `~${dir.slice(homedir.length)}`;
  }
  return dir;
}
