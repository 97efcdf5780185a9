import assert from "node:assert/strict";
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ensurePrivateDir, fileMode, isErrno, writeFileAtomic } from "../../src/platform/fs.ts";

const root = await mkdtemp(join(tmpdir(), "awsmfa-fs-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;
const newDir = () => join(root, `d${counter++}`);
const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe("writeFileAtomic", () => {
  it("writes a new file 0600 and creates missing parents 0700", async () => {
    const dir = newDir();
    const path = join(dir, "a", "b", "file");
    await writeFileAtomic(path, "hello");
    assert.equal(await readFile(path, "utf8"), "hello");
    assert.equal(await mode(path), 0o600);
    assert.equal(await mode(join(dir, "a", "b")), 0o700);
    assert.equal(await mode(join(dir, "a")), 0o700);
  });

  it("replaces an existing file, narrowing its mode to 0600 unless told otherwise", async () => {
    const dir = newDir();
    await mkdir(dir);
    const path = join(dir, "file");
    await writeFile(path, "old contents that are longer");
    await chmod(path, 0o644);
    await writeFileAtomic(path, Buffer.from([1, 2, 3]));
    assert.deepEqual(await readFile(path), Buffer.from([1, 2, 3]));
    assert.equal(await mode(path), 0o600);
    await writeFileAtomic(path, "x", { mode: 0o640 });
    assert.equal(await mode(path), 0o640);
    assert.deepEqual(await readdir(dir), ["file"], "no temp file left");
  });

  it("leaves the target and no temp file behind when the rename fails", async () => {
    const dir = newDir();
    const target = join(dir, "is-a-dir");
    await mkdir(join(target, "inside"), { recursive: true });
    await assert.rejects(
      writeFileAtomic(target, "data"),
      (e: unknown) => isErrno(e, "EISDIR") || isErrno(e, "ENOTEMPTY") || isErrno(e, "EEXIST"),
    );
    assert.deepEqual(await readdir(dir), ["is-a-dir"]);
    assert.deepEqual(await readdir(target), ["inside"]);
  });

  it("ends with one complete version when many writers race on one path", async () => {
    const dir = newDir();
    const path = join(dir, "file");
    const versions = Array.from(
      { length: 20 },
      (_, i) => `${String(i).padStart(2, "0")}:${"x".repeat(50_000 + i)}`,
    );
    await Promise.all(versions.map((v) => writeFileAtomic(path, v)));
    assert.ok(versions.includes(await readFile(path, "utf8")));
    assert.deepEqual(await readdir(dir), ["file"]);
  });
});

describe("regression (#9 item 18): temp files left by a SIGKILLed writer stayed forever", () => {
  it("a later write of the same file removes only its own abandoned temp files", async () => {
    const dir = newDir();
    await mkdir(dir);
    const path = join(dir, "credentials");
    await writeFile(path, "old");
    const outside = join(dir, "keep-me");
    await writeFile(outside, "not ours");
    // What a writer killed between open() and rename() leaves: a full copy, 0600.
    const abandoned = [".credentials.0123456789ab.tmp", ".credentials.fedcba987654.tmp"];
    const kept = [
      ".credentials.a1b2c3d4e5f6.tmp", // young: a writer may still be at work
      ".credentials.0123456789a.tmp", // 11 hex digits: not our pattern
      ".credentials.0123456789AB.tmp", // upper case: not ours
      ".credentials.0123456789ab.tmp.bak",
      "credentials.0123456789ab.tmp", // no leading dot
      ".config.0123456789ab.tmp", // another file's temp: not this write's business
      ".credentials.abcdefabcdef.tmp", // a symlink: never followed, never removed
      ".credentials.aaaaaaaaaaaa.tmp", // a directory
      "keep-me",
    ];
    // Two hours: well past the ten minutes after which a temp file is abandoned.
    const old = new Date(Date.now() - 2 * 60 * 60_000);
    for (const name of [...abandoned, ...kept.slice(1, 6)]) {
      await writeFile(join(dir, name), "aws_secret_access_key = copy", { mode: 0o600 });
      await utimes(join(dir, name), old, old);
    }
    await writeFile(join(dir, kept[0] ?? ""), "in progress", { mode: 0o600 });
    await symlink(outside, join(dir, ".credentials.abcdefabcdef.tmp"));
    await mkdir(join(dir, ".credentials.aaaaaaaaaaaa.tmp"));
    await utimes(join(dir, ".credentials.aaaaaaaaaaaa.tmp"), old, old);

    await writeFileAtomic(path, "new");

    assert.equal(await readFile(path, "utf8"), "new");
    assert.deepEqual((await readdir(dir)).sort(), ["credentials", ...kept].sort());
    assert.equal(await readFile(outside, "utf8"), "not ours");
  });
});

describe("fileMode, ensurePrivateDir, isErrno", () => {
  it("reports a file's mode bits, or undefined when there is no file", async () => {
    const dir = newDir();
    await ensurePrivateDir(dir);
    assert.equal(await mode(dir), 0o700);
    assert.equal(await fileMode(join(dir, "missing")), undefined);
    await writeFileAtomic(join(dir, "f"), "");
    assert.equal(await fileMode(join(dir, "f")), 0o600);
    await assert.rejects(fileMode(join(dir, "f", "under-a-file")), (e: unknown) =>
      isErrno(e, "ENOTDIR"),
    );
  });

  it("matches only errors with that code", () => {
    const e = Object.assign(new Error("x"), { code: "ENOENT" });
    assert.equal(isErrno(e, "ENOENT"), true);
    assert.equal(isErrno(e, "EEXIST"), false);
    assert.equal(isErrno({ code: "ENOENT" }, "ENOENT"), false);
    assert.equal(isErrno(undefined, "ENOENT"), false);
  });
});
