/**
 * Loads the fast-path bundle (dist/chunks/fast-path.cjs) for the bin, with
 * V8's code cache: Node 20 compiles a script from source on every start
 * (module.enableCompileCache came in Node 22), and for this bundle that
 * compile, eager and lazy, is a fifth of a cached credential_process
 * (measured: 2.2x -> 1.9x `node -e 0`).
 *
 * The cache is V8 bytecode for the bundle as built, nothing from a run: no
 * secret, no config. It lives in `$XDG_CACHE_HOME/awsmfa` (default
 * ~/.cache/awsmfa), named by the bundle's digest (set by the build), the
 * Node version and the architecture, so another build or Node never reads
 * it (V8 also refuses a cache of another V8 or source length). Bytecode is
 * code, so it is used only from a directory of ours that others cannot
 * write to, from a file of ours that only we can read and write; anything
 * else is ignored and, when the directory is ours, replaced. It is written
 * after a fast-path answer when there was none or V8 refused it:
 * atomically (a temp file renamed over it), 0600, in a 0700 directory. Two
 * writers at once each rename a complete file: either is right, so no lock.
 * Off with AWSMFA_CODE_CACHE=off, and wherever there is no uid (Windows).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from "node:fs";
import { readdir, unlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, isAbsolute, join } from "node:path";
import { Script } from "node:vm";
import type { CliContext } from "./context.ts";
import type * as FastPath from "./fastPathEntry.ts";

/** The bundle's digest and file, set by the build (scripts/build.mjs). */
export interface FastPathBuild {
  readonly bundle: string;
  readonly digest: string;
}

export interface LoadedFastPath {
  readonly exports: typeof FastPath;
  /** Saves the code cache if there was none or V8 refused it; never throws. */
  saveCodeCache(): Promise<void>;
}

export function loadFastPath(build: FastPathBuild, ctx: CliContext): LoadedFastPath {
  const source = readFileSync(build.bundle, "utf8");
  const cacheFile = codeCacheFile(build.digest, ctx);
  const cachedData = cacheFile === undefined ? undefined : readOwnFile(cacheFile, ctx.uid);
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    {
      filename: build.bundle,
      ...(cachedData === undefined ? {} : { cachedData }),
    },
  );
  const wrapper = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  const mod = { exports: {} };
  wrapper(mod.exports, createRequire(build.bundle), mod, build.bundle, dirname(build.bundle));
  const exports = mod.exports as typeof FastPath;
  return {
    exports,
    async saveCodeCache() {
      if (cacheFile === undefined) return;
      if (cachedData !== undefined && !script.cachedDataRejected) return;
      try {
        const dir = dirname(cacheFile);
        if (!dirIsOurs(dir, ctx.uid, { mayBeMissing: true })) return;
        await exports.writeFileAtomic(cacheFile, script.createCachedData());
        await removeOtherBuilds(dir, basename(cacheFile));
      } catch {
        // A cache: the next call compiles from source again.
      }
    },
  };
}

function codeCacheFile(digest: string, ctx: CliContext): string | undefined {
  if (ctx.uid === undefined || ctx.env.AWSMFA_CODE_CACHE?.trim().toLowerCase() === "off") {
    return undefined;
  }
  const xdg = ctx.env.XDG_CACHE_HOME;
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(ctx.homedir, ".cache");
  return join(base, "awsmfa", `fast-path-${digest}-${process.version}-${process.arch}.v8cache`);
}

/** The file's bytes, when it is a regular file of `uid` only it can read and write, in a directory of ours. */
function readOwnFile(path: string, uid: number | undefined): Buffer | undefined {
  if (!dirIsOurs(dirname(path), uid, { mayBeMissing: false })) return undefined;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== uid || (st.mode & 0o077) !== 0) return undefined;
    return readFileSync(fd);
  } catch {
    // Unreadable (EIO, ...): compiled from source this time.
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function dirIsOurs(
  dir: string,
  uid: number | undefined,
  { mayBeMissing }: { mayBeMissing: boolean },
): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & 0o022) === 0;
  } catch (e) {
    return mayBeMissing && (e as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** Caches of earlier builds or Node versions: each is a few hundred KB nothing reads again. */
async function removeOtherBuilds(dir: string, keep: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name !== keep && /^fast-path-[0-9a-f]+-v[\d.]+-\w+\.v8cache$/.test(name)) {
      await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}
