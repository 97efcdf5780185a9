/**
 * The env formats are read back by real shells: whatever bytes a value
 * holds, eval'ing our output sets exactly those bytes and runs nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatEnv, type ShellFormat } from "../../src/output/formatEnv.ts";
import type { OutputCredentials } from "../../src/output/credentials.ts";

const NASTY = [
  "AKIAIOSFODNN7EXAMPLE",
  "it's",
  `"double" and 'single' quotes`,
  "$(touch PWNED) `touch PWNED` ${HOME} $HOME",
  "back\\slash\\' and \\\\",
  // Line breaks, tabs and other control characters never get this far:
  // every formatter refuses them first (#9 item 19, credentialValues.test.ts).
  "semi; rm -rf /; echo",
  "unicode ‘curly’ “quotes” é 日本",
  "trailing backslash \\",
  "",
];

function creds(secret: string): OutputCredentials {
  return {
    accessKeyId: "ASIAEXAMPLEEXAMPLE12",
    secretAccessKey: secret,
    sessionToken: `tok/${secret}+=`,
    expiration: new Date("2026-11-21T12:00:00Z"),
    region: "eu-west-1",
  };
}

function which(cmd: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Runs `shell` on a script that sources our output and prints the variables NUL-separated. */
function readBack(shell: string, format: ShellFormat, output: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "awsmfa-quote-"));
  try {
    const file = join(dir, "out");
    writeFileSync(file, output);
    const names = [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_CREDENTIAL_EXPIRATION",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
    ];
    let args: string[];
    if (format === "fish") {
      const prints = names.map((n) => `printf '%s\\0' "$${n}"`).join("; ");
      args = ["-c", `source ${file}; ${prints}`];
    } else {
      const load =
        format === "env" ? `set -a; eval "$(cat ${file})"; set +a` : `eval "$(cat ${file})"`;
      const prints = names.map((n) => `printf '%s\\0' "$${n}"`).join("; ");
      args = ["-c", `${load}; ${prints}`];
    }
    const r = spawnSync(shell, args, {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: dir },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(existsSync(join(dir, "PWNED")), false, "a value ran as code");
    return r.stdout.split("\0").slice(0, names.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const shells: [string, ShellFormat][] = [
  ["bash", "export-env"],
  ["bash", "env"],
  ["sh", "export-env"],
  ["zsh", "export-env"],
  ["fish", "fish"],
];

for (const [shell, format] of shells) {
  test(`${shell} reads back every value of --format ${format} byte for byte`, (t) => {
    const path = which(shell);
    if (path === undefined) {
      process.stderr.write(
        `\n!!! SKIPPED: ${shell} is not installed; --format ${format} was not checked in ${shell}\n`,
      );
      t.skip(`${shell} is not installed`);
      return;
    }
    for (const secret of NASTY) {
      const c = creds(secret);
      const got = readBack(path, format, formatEnv(c, format));
      assert.deepEqual(got, [
        c.accessKeyId,
        c.secretAccessKey,
        c.sessionToken,
        "2026-11-21T12:00:00Z",
        "eu-west-1",
        "eu-west-1",
      ]);
    }
  });
}

test("pwsh reads back --format powershell", (t) => {
  const path = which("pwsh");
  if (path === undefined) {
    process.stderr.write(
      "\n!!! SKIPPED: pwsh is not installed (not packaged by Debian); --format powershell was checked by the unit test only\n",
    );
    t.skip("pwsh is not installed");
    return;
  }
  for (const secret of NASTY) {
    const c = creds(secret);
    const r: SpawnSyncReturns<string> = spawnSync(
      path,
      [
        "-NoProfile",
        "-Command",
        `${formatEnv(c, "powershell")}; [Console]::Out.Write($Env:AWS_SECRET_ACCESS_KEY)`,
      ],
      { encoding: "utf8" },
    );
    assert.equal(r.stdout, secret);
  }
});

test("powershell quoting doubles every kind of single quote and nothing else", () => {
  const out = formatEnv(creds("a'b‘c’d"), "powershell");
  assert.match(out, /\$Env:AWS_SECRET_ACCESS_KEY = 'a''b‘‘c’’d'/);
  assert.match(out, /^\$Env:AWS_ACCESS_KEY_ID = 'ASIAEXAMPLEEXAMPLE12'$/m);
});
