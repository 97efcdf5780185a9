import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  copyFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AwsmfaError } from "../../src/errors.ts";
import { systemClock } from "../../src/platform/clock.ts";
import { DEFAULT_SCRYPT, type ScryptParams } from "../../src/store/file/crypto.ts";
import { fileStore, type PassphraseRequest } from "../../src/store/file/fileStore.ts";

const FAST: ScryptParams = { N: 1024, r: 8, p: 1 };
const root = await mkdtemp(join(tmpdir(), "awsmfa-filestore-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;
const newDir = () => join(root, `s${counter++}`);

function open(dir: string, passphrase = "correct horse", scrypt: ScryptParams = FAST) {
  const asked: PassphraseRequest[] = [];
  const store = fileStore({
    dir,
    passphrase: (req) => {
      asked.push(req);
      return Promise.resolve(passphrase);
    },
    clock: systemClock,
    scrypt,
    displayDir: "~/.awsmfa",
  });
  return { store, asked };
}

/** Every file under dir, path -> bytes. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out.set(relative(dir, p), await readFile(p));
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  const v: unknown = JSON.parse(await readFile(path, "utf8"));
  assert.ok(isRecord(v), `${path} holds a JSON object`);
  return v;
}

function isError(code: string, pattern?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof AwsmfaError, `expected AwsmfaError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (pattern) assert.match(e.message, pattern);
    return true;
  };
}

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const keysJson = JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET });

describe("file store on disk", () => {
  it("writes no secret in plain text, base64, hex or UTF-16 anywhere in the directory", async () => {
    const dir = newDir();
    const { store } = open(dir);
    await store.set("keys", "prod", keysJson);
    await store.set("session", "prod", JSON.stringify({ sessionToken: SECRET }));
    const needles = [
      SECRET,
      Buffer.from(SECRET).toString("base64"),
      Buffer.from(SECRET).toString("base64url"),
      Buffer.from(SECRET).toString("hex"),
      Buffer.from(keysJson).toString("base64"),
    ].map((s) => Buffer.from(s));
    needles.push(Buffer.from(SECRET, "utf16le"), Buffer.from("correct horse"));
    const files = await snapshot(dir);
    assert.ok(files.size >= 3);
    for (const [path, bytes] of files) {
      for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${path} leaks`);
    }
  });

  it("makes the directory 0700 and every file 0600", async () => {
    const dir = newDir();
    const { store } = open(dir);
    await store.set("keys", "prod", keysJson);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, "keys"))).mode & 0o777, 0o700);
    for (const path of (await snapshot(dir)).keys()) {
      assert.equal((await stat(join(dir, path))).mode & 0o777, 0o600, path);
    }
  });

  it("writes the KDF and its parameters in store.json; the default is the real cost", async () => {
    const dir = newDir();
    const store = fileStore({
      dir,
      passphrase: () => Promise.resolve("pw"),
      clock: systemClock,
    });
    await store.set("keys", "a", "v");
    const header = await readJson(join(dir, "store.json"));
    const kdf = header.kdf;
    assert.ok(isRecord(kdf));
    assert.deepEqual(
      { ...kdf, salt: undefined },
      {
        name: "scrypt",
        N: 65536,
        r: 8,
        p: 1,
        salt: undefined,
      },
    );
    assert.equal(Buffer.from(String(kdf.salt), "base64").length, 16);
    assert.deepEqual(DEFAULT_SCRYPT, { N: 65536, r: 8, p: 1 });
    assert.equal(header.cipher, "aes-256-gcm");
  });

  it("opens a store with the parameters in its header, whatever the instance would create", async () => {
    const dir = newDir();
    await open(dir, "pw", FAST).store.set("keys", "a", "value");
    const other = open(dir, "pw", { N: 2 ** 20, r: 8, p: 1 });
    assert.equal(await other.store.get("keys", "a"), "value");
  });

  it("keeps names out of the ciphertext's reach: list() and remove() need no passphrase", async () => {
    const dir = newDir();
    await open(dir).store.set("keys", "a", "v");
    const { store, asked } = open(dir, "not the passphrase");
    assert.deepEqual(await store.list(), [{ kind: "keys", name: "a" }]);
    assert.equal(await store.get("keys", "missing"), undefined);
    assert.equal(await store.remove("keys", "a"), true);
    assert.deepEqual(asked, []);
  });

  it("asks for the passphrase once per instance, even for parallel reads and writes", async () => {
    const dir = newDir();
    const first = open(dir);
    await first.store.set("keys", "a", "1");
    assert.deepEqual(first.asked, [{ creating: true, where: "~/.awsmfa" }]);
    await Promise.all([first.store.set("keys", "b", "2"), first.store.get("keys", "a")]);
    assert.equal(first.asked.length, 1);

    const second = open(dir);
    const names = ["a", "b", "a", "b", "a"];
    const values = await Promise.all(names.map((n) => second.store.get("keys", n)));
    assert.deepEqual(values, ["1", "2", "1", "2", "1"]);
    await second.store.set("session", "c", "3");
    assert.deepEqual(second.asked, [{ creating: false, where: "~/.awsmfa" }]);
  });

  it("keeps names that are too long for a file name, inside the file", async () => {
    const dir = newDir();
    const { store } = open(dir);
    const long = `chain:${"arn:aws:iam::123456789012:role/Deploy/".repeat(8)}`;
    await store.set("session", long, "v");
    const [file] = await readdir(join(dir, "sessions"));
    assert.match(file ?? "", /^~[0-9a-f]{64}\.json$/);
    assert.deepEqual(await open(dir).store.list("session"), [{ kind: "session", name: long }]);
    assert.equal(await store.get("session", long), "v");
  });
});

describe("file store refusals", () => {
  it("reports a wrong passphrase by the store's place, before touching anything", async () => {
    const dir = newDir();
    await open(dir).store.set("keys", "prod", keysJson);
    const before = await snapshot(dir);
    const { store, asked } = open(dir, "wrong");
    const wrong = isError(
      "E_STORE_PASSPHRASE",
      /^The passphrase for the awsmfa file store at ~\/\.awsmfa is wrong\.$/,
    );
    await assert.rejects(store.get("keys", "prod"), wrong);
    await assert.rejects(store.set("keys", "new", "x"), wrong);
    await assert.rejects(store.set("keys", "prod", "overwrite"), wrong);
    assert.equal(asked.length, 1, "a wrong passphrase is not asked for again by the same instance");
    assert.deepEqual(await snapshot(dir), before);
  });

  it("names the file when an item's ciphertext was modified", async () => {
    const dir = newDir();
    const { store } = open(dir);
    await store.set("keys", "prod", keysJson);
    const path = join(dir, "keys", "prod.json");
    const doc = await readJson(path);
    const ct = Buffer.from(String(doc.ciphertext), "base64");
    ct[3] = (ct[3] ?? 0) ^ 1;
    await writeFile(path, JSON.stringify({ ...doc, ciphertext: ct.toString("base64") }));
    await assert.rejects(
      open(dir).store.get("keys", "prod"),
      isError("E_STORE_TAMPERED", /~\/\.awsmfa\/keys\/prod\.json/),
    );
  });

  it("refuses an item file copied over another profile's (the AAD binds kind and name)", async () => {
    const dir = newDir();
    const { store } = open(dir);
    await store.set("keys", "dev", "dev keys");
    await store.set("keys", "prod", "prod keys");
    await copyFile(join(dir, "keys", "dev.json"), join(dir, "keys", "prod.json"));
    await store.set("session", "other", "x");
    await copyFile(join(dir, "keys", "dev.json"), join(dir, "sessions", "dev.json"));
    const fresh = open(dir).store;
    assert.equal(await fresh.get("keys", "dev"), "dev keys");
    await assert.rejects(fresh.get("keys", "prod"), isError("E_STORE_TAMPERED", /prod\.json/));
    await assert.rejects(fresh.get("session", "dev"), isError("E_STORE_TAMPERED", /sessions/));
  });

  it("names the file when an item is not valid JSON", async () => {
    const dir = newDir();
    await open(dir).store.set("keys", "prod", "v");
    await writeFile(join(dir, "keys", "prod.json"), "{ nope");
    await assert.rejects(
      open(dir).store.get("keys", "prod"),
      isError("E_STORE_TAMPERED", /keys\/prod\.json.*not valid JSON/),
    );
  });

  it("treats an edited header as a wrong passphrase or damage, never as a new store", async () => {
    const dir = newDir();
    await open(dir).store.set("keys", "prod", "v");
    const headerPath = join(dir, "store.json");
    const header = await readFile(headerPath, "utf8");
    await writeFile(headerPath, header.replace('"N": 1024', '"N": 2048'));
    await assert.rejects(open(dir).store.get("keys", "prod"), isError("E_STORE_PASSPHRASE"));
    await writeFile(headerPath, header.replace('"N": 1024', '"N": 1000'));
    await assert.rejects(
      open(dir).store.get("keys", "prod"),
      isError("E_STORE_TAMPERED", /store\.json.*out of range/),
    );
    await writeFile(headerPath, header.replace('"version": 1', '"version": 7'));
    await assert.rejects(open(dir).store.get("keys", "prod"), isError("E_STORE_VERSION"));
  });

  it("refuses to start a new store over items whose header is gone", async () => {
    const dir = newDir();
    await open(dir).store.set("keys", "prod", "v");
    await unlink(join(dir, "store.json"));
    const { store } = open(dir);
    await assert.rejects(store.get("keys", "prod"), isError("E_STORE_TAMPERED", /store\.json/));
    await assert.rejects(store.set("keys", "other", "x"), isError("E_STORE_TAMPERED", /missing/));
    await assert.rejects(readFile(join(dir, "store.json")), { code: "ENOENT" });
  });

  it("refuses to create a store with an empty passphrase", async () => {
    const dir = newDir();
    await assert.rejects(
      open(dir, "").store.set("keys", "a", "v"),
      isError("E_STORE_PASSPHRASE_EMPTY"),
    );
  });
});

describe("file store across processes", () => {
  const writer = fileURLToPath(new URL("./fixtures/storeWriter.ts", import.meta.url));

  function write(dir: string, name: string, value: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", writer, dir, "keys", name], {
        stdio: ["pipe", "inherit", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code === 0) resolve();
        else reject(new Error(`writer ${name} exited ${String(code)}: ${stderr}`));
      });
      child.stdin.end(JSON.stringify({ passphrase: "correct horse", value }));
    });
  }

  it("creates one header when processes race to create the store, and every write lands", async () => {
    const dir = newDir();
    const names = ["alpha", "beta", "gamma", "delta"];
    await Promise.all(names.map((n) => write(dir, n, `keys of ${n}`)));
    const { store } = open(dir);
    for (const n of names) assert.equal(await store.get("keys", n), `keys of ${n}`);
    assert.deepEqual((await store.list("keys")).map((r) => r.name).sort(), [...names].sort());
    const leftovers = (await readdir(dir)).filter((f) => f !== "store.json" && f !== "keys");
    assert.deepEqual(leftovers, [], "no lock or temp files left behind");
  });
});
