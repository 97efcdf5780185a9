import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { editIniFile } from "./editFile.ts";

async function dir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "awsmfa-edit-"));
}

test("creates a missing file 0600 with the edit", async () => {
  const d = await dir();
  try {
    const p = join(d, "sub", "credentials");
    const r = await editIniFile(p, (doc) => {
      doc.setKey("dev", "aws_access_key_id", "AKIA");
      return 7;
    });
    assert.deepEqual(r, { changed: true, result: 7 });
    assert.equal(await readFile(p, "utf8"), "[dev]\naws_access_key_id = AKIA\n");
    assert.equal((await stat(p)).mode & 0o777, 0o600);
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test("an edit keeps every other byte; a no-op edit writes nothing", async () => {
  const d = await dir();
  try {
    const p = join(d, "config");
    const text =
      "\uFEFF# mine\r\n[profile a]\r\nregion = x ; keep\r\n\r\n[profile b]\r\ns3 =\r\n  max = 1";
    await writeFile(p, text, { mode: 0o644 });
    await chmod(p, 0o644);
    const before = await stat(p);
    const r = await editIniFile(p, (doc) => {
      doc.setKey("profile a", "region", "x");
    });
    assert.equal(r.changed, false);
    assert.equal((await stat(p)).ino, before.ino, "not rewritten");
    await editIniFile(p, (doc) => {
      doc.setKey("profile b", "region", "y");
    });
    assert.equal(await readFile(p, "utf8"), `${text}\r\nregion = y`);
    assert.equal((await stat(p)).mode & 0o777, 0o600, "group/other bits dropped");
    assert.deepEqual((await readdir(d)).sort(), ["config"], "no temp or lock files left");
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test("a stricter mode is kept", async () => {
  const d = await dir();
  try {
    const p = join(d, "credentials");
    await writeFile(p, "[a]\nk = v\n");
    await chmod(p, 0o400);
    await editIniFile(p, (doc) => {
      doc.removeKey("a", "k");
    });
    assert.equal((await stat(p)).mode & 0o777, 0o400);
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test("a malformed file is refused and left untouched; a throwing edit writes nothing", async () => {
  const d = await dir();
  try {
    const p = join(d, "config");
    await writeFile(p, "[a]\njunk\n");
    await assert.rejects(
      editIniFile(
        p,
        (doc) => {
          doc.setKey("a", "k", "v");
        },
        { label: "~/.aws/config" },
      ),
      {
        code: "E_CONFIG_SYNTAX",
        message:
          "~/.aws/config:2: this line is not a [section] header, a 'key = value' pair or a comment.",
      },
    );
    assert.equal(await readFile(p, "utf8"), "[a]\njunk\n");
    await writeFile(p, "[a]\nk = v\n");
    await assert.rejects(
      editIniFile(p, (doc) => {
        doc.setKey("a", "k", "changed");
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(await readFile(p, "utf8"), "[a]\nk = v\n");
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test("invalid UTF-8 is refused rather than damaged", async () => {
  const d = await dir();
  try {
    const p = join(d, "config");
    const bytes = Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x6b, 0x3d, 0xe9, 0x0a]);
    await writeFile(p, bytes);
    await assert.rejects(
      editIniFile(p, (doc) => {
        doc.setKey("a", "n", "1");
      }),
      { code: "E_CONFIG_ENCODING" },
    );
    assert.ok((await readFile(p)).equals(bytes));
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test("a symlinked file is edited through the link", async () => {
  const d = await dir();
  try {
    const real = join(d, "dotfiles-config");
    const link = join(d, "config");
    await writeFile(real, "[a]\nk = v\n");
    await symlink(real, link);
    await editIniFile(link, (doc) => {
      doc.setKey("a", "n", "1");
    });
    assert.ok((await stat(link)).isFile());
    assert.equal(await readFile(real, "utf8"), "[a]\nk = v\nn = 1\n");
    const { lstat } = await import("node:fs/promises");
    assert.ok((await lstat(link)).isSymbolicLink());
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test("regression (#9 item 16): a dangling credentials symlink was replaced by a regular file; its target is created instead and the link survives", async () => {
  const d = await dir();
  try {
    const { lstat, mkdir, readlink } = await import("node:fs/promises");
    await mkdir(join(d, "dotfiles", "aws"), { recursive: true });
    const link = join(d, "credentials");
    // A relative link to another link, both dangling until the first write.
    await symlink("dotfiles/aws/creds-link", link);
    await symlink("credentials", join(d, "dotfiles", "aws", "creds-link"));
    const r = await editIniFile(link, (doc) => {
      doc.setKey("a", "n", "1");
    });
    assert.equal(r.changed, true);
    assert.ok((await lstat(link)).isSymbolicLink(), "the link is still a link");
    assert.equal(await readlink(link), "dotfiles/aws/creds-link");
    const real = join(d, "dotfiles", "aws", "credentials");
    assert.equal(await readFile(real, "utf8"), "[a]\nn = 1\n");
    assert.equal((await stat(real)).mode & 0o777, 0o600);
    assert.deepEqual((await readdir(d)).sort(), ["credentials", "dotfiles"]);
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test("regression (#9 item 16): a dangling symlink into a missing directory, or a link loop, is refused clearly and left as it is", async () => {
  const d = await dir();
  try {
    const { lstat, readlink } = await import("node:fs/promises");
    const link = join(d, "credentials");
    const nowhere = join(d, "nowhere", "credentials");
    await symlink(nowhere, link);
    await assert.rejects(
      editIniFile(
        link,
        (doc) => {
          doc.setKey("a", "n", "1");
        },
        { label: "~/.aws/credentials" },
      ),
      (e: unknown) =>
        e instanceof Error &&
        "code" in e &&
        e.code === "E_CONFIG_LINK" &&
        e.message ===
          `~/.aws/credentials is a symbolic link to ${nowhere}, which does not exist, and neither does its directory ${join(d, "nowhere")}.`,
    );
    assert.equal(await readlink(link), nowhere);
    assert.deepEqual(await readdir(d), ["credentials"]);

    const loop = join(d, "loop");
    await symlink("loop", loop);
    await assert.rejects(
      editIniFile(
        loop,
        (doc) => {
          doc.setKey("a", "n", "1");
        },
        { label: "~/.aws/config" },
      ),
      { code: "E_CONFIG_LINK", message: "~/.aws/config is a symbolic link that loops." },
    );
    assert.ok((await lstat(loop)).isSymbolicLink());
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test("concurrent edits are serialised: none is lost", async () => {
  const d = await dir();
  try {
    const p = join(d, "credentials");
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        editIniFile(p, async (doc) => {
          await new Promise((r) => setTimeout(r, 1));
          doc.setKey(`p${i}`, "k", String(i));
        }),
      ),
    );
    const text = await readFile(p, "utf8");
    for (let i = 0; i < 8; i++) assert.match(text, new RegExp(`\\[p${i}\\]\\nk = ${i}\\n`));
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test(
  "regression (#9 item 10): a FIFO at the path is refused, not read forever",
  { timeout: 30_000 },
  async () => {
    const d = await dir();
    try {
      const p = join(d, "credentials");
      execFileSync("mkfifo", [p]);
      let edited = false;
      await assert.rejects(
        editIniFile(p, () => {
          edited = true;
        }),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "E_CONFIG_READ");
          assert.match(e.message, /it is a FIFO \(named pipe\), not a regular file\./);
          return true;
        },
      );
      assert.equal(edited, false);
      assert.ok((await stat(p)).isFIFO(), "the FIFO is left as it was");
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  },
);
