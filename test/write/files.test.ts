/**
 * What `awsmfa write` does to the files around the credentials file, through
 * the built bin: a dangling link, a killed writer's temp file, and a file
 * ending in a blank line.
 */
import assert from "node:assert/strict";
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { READONLY_ROLE, startWorld, type World } from "../cli/helpers.ts";

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(
    `[profile base]\nregion = us-east-1\n\n[profile ro]\nrole_arn = ${READONLY_ROLE}\nsource_profile = base\n`,
  );
  await w.addAlice("base");
});
after(() => w.stop());

const awsDir = () => join(w.sb.home, ".aws");

describe("awsmfa write and the files next to the credentials file", () => {
  it("regression (#9 item 16): a dangling ~/.aws/credentials symlink stays a link; its target is created 0600", async () => {
    await rm(w.sb.credentialsFile, { force: true });
    await mkdir(join(w.sb.home, "dotfiles"), { recursive: true });
    await symlink("../dotfiles/aws-credentials", w.sb.credentialsFile);
    const r = await w.sb.run(["write", "ro"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await lstat(w.sb.credentialsFile)).isSymbolicLink());
    assert.equal(await readlink(w.sb.credentialsFile), "../dotfiles/aws-credentials");
    const target = join(w.sb.home, "dotfiles", "aws-credentials");
    assert.match(await readFile(target, "utf8"), /^\[ro-session\]\naws_access_key_id = ASIA/);
    assert.equal((await stat(target)).mode & 0o777, 0o600);

    const removed = await w.sb.run(["write", "--remove", "--to", "ro-session"]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.ok((await lstat(w.sb.credentialsFile)).isSymbolicLink());
    assert.equal(await readFile(target, "utf8"), "");
    await rm(w.sb.credentialsFile);
  });

  it("regression (#9 item 18): a temp file a SIGKILLed write left in ~/.aws goes at the next write; a young one stays", async () => {
    await writeFile(w.sb.credentialsFile, "[other]\nregion = x\n", { mode: 0o600 });
    const stale = join(awsDir(), ".credentials.0a1b2c3d4e5f.tmp");
    const young = join(awsDir(), ".credentials.f5e4d3c2b1a0.tmp");
    await writeFile(stale, "aws_secret_access_key = a full copy", { mode: 0o600 });
    const hoursAgo = new Date(Date.now() - 3 * 60 * 60_000);
    await utimes(stale, hoursAgo, hoursAgo);
    await writeFile(young, "a write in progress", { mode: 0o600 });
    const r = await w.sb.run(["write", "ro"]);
    assert.equal(r.code, 0, r.stderr);
    const left = await readdir(awsDir());
    assert.ok(!left.includes(".credentials.0a1b2c3d4e5f.tmp"), left.join(" "));
    assert.ok(left.includes(".credentials.f5e4d3c2b1a0.tmp"), left.join(" "));
    await rm(young);
  });

  it("regression (#9 item 17): write then write --remove gives back a file that ends in a blank or whitespace-only line byte for byte", async () => {
    for (const original of [
      "[other]\nregion = x\n\n",
      "[other]\nregion = x\n \t \n",
      "# only a comment\r\n\r\n",
    ]) {
      await writeFile(w.sb.credentialsFile, original, { mode: 0o600 });
      const r = await w.sb.run(["write", "ro"]);
      assert.equal(r.code, 0, r.stderr);
      const removed = await w.sb.run(["write", "ro", "--remove"]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal(await readFile(w.sb.credentialsFile, "utf8"), original);
    }
  });
});
