import assert from "node:assert/strict";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { AwsmfaError } from "../../src/errors.ts";
import { systemClock } from "../../src/platform/clock.ts";
import type { PromptOptions, Tty } from "../../src/platform/tty.ts";
import { openStore, type OpenStoreOptions } from "../../src/store/openStore.ts";

const home = await mkdtemp(join(tmpdir(), "awsmfa-openstore-"));
after(() => rm(home, { recursive: true, force: true }));
let counter = 0;
const FAST = { N: 1024, r: 8, p: 1 };

/** A terminal that answers from a script and records what it was asked. */
function scriptedTty(answers: string[]) {
  const asked: { question: string; hidden: boolean }[] = [];
  let closed = 0;
  const tty: Tty = {
    prompt(question: string, options: PromptOptions) {
      asked.push({ question, hidden: options.hidden });
      const answer = answers.shift();
      return answer === undefined
        ? Promise.reject(new Error(`unexpected question ${question}`))
        : Promise.resolve(answer);
    },
    close() {
      closed += 1;
    },
  };
  return { factory: () => Promise.resolve(tty), asked, closed: () => closed };
}

const noTty = () =>
  Promise.reject(
    new AwsmfaError("E_NO_TTY", "No terminal to ask for input: cannot open /dev/tty."),
  );

function options(over: Partial<OpenStoreOptions> = {}): OpenStoreOptions {
  const dir = join(home, `store-${counter++}`);
  return {
    env: { AWSMFA_FILE_DIR: dir, AWSMFA_FILE_PASSPHRASE: "pw" },
    homedir: home,
    clock: systemClock,
    tty: noTty,
    fileScrypt: FAST,
    platform: "linux",
    nodePath: process.execPath,
    ...over,
  };
}

const code = (c: string, pattern?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof AwsmfaError, String(e));
  assert.equal(e.code, c);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

describe("openStore backend choice", () => {
  it("opens the file store when asked, and by default when no keyring is registered", async () => {
    assert.equal((await openStore(options({ backend: "file" }))).backend, "file");
    assert.equal((await openStore(options())).backend, "file");
    assert.equal((await openStore(options({ platform: "freebsd" }))).backend, "file");
  });

  it("says a backend of another platform is not available here", async () => {
    await assert.rejects(
      openStore(options({ backend: "keychain", platform: "linux" })),
      code("E_BACKEND_UNAVAILABLE", /^The keychain backend needs macOS; this is linux\.$/),
    );
    await assert.rejects(
      openStore(options({ backend: "wincred", platform: "darwin" })),
      code("E_BACKEND_UNAVAILABLE", /^The wincred backend needs Windows; this is darwin\.$/),
    );
  });

  it("keeps the file backend out of the module that picks it (lazy import)", async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL("../../src/store/openStore.ts", import.meta.url))],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      packages: "external",
      outdir: "out",
      write: false,
      logLevel: "silent",
    });
    const entry = out.outputFiles.find((f) => f.path.endsWith("openStore.js"));
    assert.ok(entry !== undefined && out.outputFiles.length > 1);
    assert.ok(!entry.text.includes("aes-256-gcm"), "the file backend is bundled into openStore");
  });
});

describe("openStore file directory", () => {
  it("prefers --file-dir, then AWSMFA_FILE_DIR, then ~/.awsmfa, expanding ~/", async () => {
    const flag = join(home, "from-flag");
    const envDir = join(home, "from-env");
    const write = async (o: OpenStoreOptions) => (await openStore(o)).set("keys", "p", "v");
    await write(
      options({ fileDir: flag, env: { AWSMFA_FILE_DIR: envDir, AWSMFA_FILE_PASSPHRASE: "pw" } }),
    );
    assert.ok(await exists(join(flag, "keys", "p.json")));
    assert.ok(!(await exists(envDir)));
    await write(options({ env: { AWSMFA_FILE_DIR: "~/tilde", AWSMFA_FILE_PASSPHRASE: "pw" } }));
    assert.ok(await exists(join(home, "tilde", "keys", "p.json")));
    await write(options({ env: { AWSMFA_FILE_DIR: "", AWSMFA_FILE_PASSPHRASE: "pw" } }));
    assert.ok(await exists(join(home, ".awsmfa", "store.json")));
  });

  it("shows the directory under ~ in messages", async () => {
    const o = options({ env: { AWSMFA_FILE_DIR: "~/.awsmfa-msg", AWSMFA_FILE_PASSPHRASE: "a" } });
    await (await openStore(o)).set("keys", "p", "v");
    const wrong = { ...o, env: { ...o.env, AWSMFA_FILE_PASSPHRASE: "b" } };
    await assert.rejects(
      (await openStore(wrong)).get("keys", "p"),
      code(
        "E_STORE_PASSPHRASE",
        /^The passphrase for the awsmfa file store at ~\/\.awsmfa-msg is wrong\.$/,
      ),
    );
  });
});

describe("openStore file passphrase", () => {
  it("uses AWSMFA_FILE_PASSPHRASE, else aws-vault's AWS_VAULT_FILE_PASSPHRASE", async () => {
    const o = options();
    const dir = o.env.AWSMFA_FILE_DIR;
    await (await openStore(o)).set("keys", "p", "v");
    const viaVault = options({
      env: { AWSMFA_FILE_DIR: dir, AWSMFA_FILE_PASSPHRASE: "", AWS_VAULT_FILE_PASSPHRASE: "pw" },
    });
    assert.equal(await (await openStore(viaVault)).get("keys", "p"), "v");
    const oursWins = options({
      env: { AWSMFA_FILE_DIR: dir, AWSMFA_FILE_PASSPHRASE: "pw", AWS_VAULT_FILE_PASSPHRASE: "x" },
    });
    assert.equal(await (await openStore(oursWins)).get("keys", "p"), "v");
  });

  it("asks on the terminal, twice for a new store, hidden, and closes it", async () => {
    const dir = join(home, `store-${counter++}`);
    const shown = `~/store-${counter - 1}`;
    const creating = scriptedTty(["typed pw", "typed pw"]);
    const env = { AWSMFA_FILE_DIR: dir };
    await (await openStore(options({ env, tty: creating.factory }))).set("keys", "p", "v");
    assert.deepEqual(creating.asked, [
      { question: `New passphrase for the awsmfa file store at ${shown}: `, hidden: true },
      { question: "Type it again: ", hidden: true },
    ]);
    assert.equal(creating.closed(), 1);

    const opening = scriptedTty(["typed pw"]);
    const store = await openStore(options({ env, tty: opening.factory }));
    assert.equal(await store.get("keys", "p"), "v");
    assert.equal(await store.get("keys", "p"), "v");
    assert.deepEqual(opening.asked, [
      { question: `Passphrase for the awsmfa file store at ${shown}: `, hidden: true },
    ]);
  });

  it("refuses a new store when the two passphrases differ, writing nothing", async () => {
    const dir = join(home, `store-${counter++}`);
    const tty = scriptedTty(["one", "two"]);
    const store = await openStore(options({ env: { AWSMFA_FILE_DIR: dir }, tty: tty.factory }));
    await assert.rejects(store.set("keys", "p", "v"), code("E_STORE_PASSPHRASE_MISMATCH"));
    assert.ok(!(await exists(join(dir, "store.json"))));
  });

  it("without a terminal, says to set AWSMFA_FILE_PASSPHRASE", async () => {
    const dir = join(home, ".awsmfa-notty");
    const store = await openStore(options({ env: { AWSMFA_FILE_DIR: dir } }));
    await assert.rejects(store.set("keys", "p", "v"), (e: unknown) => {
      assert.ok(e instanceof AwsmfaError);
      assert.equal(e.code, "E_NO_TTY");
      assert.match(e.message, /passphrase of the awsmfa file store at ~\/\.awsmfa-notty/);
      assert.match(e.hint ?? "", /AWSMFA_FILE_PASSPHRASE/);
      return true;
    });
    // Reading a missing item and listing need no passphrase at all.
    assert.equal(await store.get("keys", "p"), undefined);
    assert.deepEqual(await store.list(), []);
  });
});
