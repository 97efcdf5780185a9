/**
 * Every formatter, `exec`'s child environment and `write` run one check on
 * credential values before they become text: no control characters.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isAwsmfaError } from "../../src/errors.ts";
import { parseIni } from "../../src/config/IniDocument.ts";
import { applyWrite } from "../../src/config/writtenSections.ts";
import { buildChildEnv } from "../../src/output/childEnv.ts";
import type { OutputCredentials } from "../../src/output/credentials.ts";
import { formatEnv } from "../../src/output/formatEnv.ts";
import { formatCredentialProcess, formatIni, formatJson } from "../../src/output/formatJson.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

const GOOD = {
  accessKeyId: "ASIAEXAMPLEEXAMPLE12",
  secretAccessKey: "secret/with+odd=chars",
  sessionToken: "FQoGZXIvYXdzEXAMPLE+token/with=signs",
  expiration: new Date("2026-11-21T12:00:00Z"),
  region: "eu-west-1",
} as const;

const INJECTED = "\n[evil]\ncredential_process = touch /tmp/PWNED\n";

/** Every way credentials become text, by name. */
const OUTPUTS: [string, (c: OutputCredentials) => unknown][] = [
  ["--format ini", (c) => formatIni(c, "p")],
  ["--format json", formatJson],
  ["--format credential-process", formatCredentialProcess],
  ["--format export-env", (c) => formatEnv(c, "export-env")],
  ["--format env", (c) => formatEnv(c, "env")],
  ["--format fish", (c) => formatEnv(c, "fish")],
  ["--format powershell", (c) => formatEnv(c, "powershell")],
  ["exec's child environment", (c) => buildChildEnv({}, c, "p")],
  [
    "write",
    (c) =>
      applyWrite(parseIni("", "~/.aws/credentials"), {
        name: "p-session",
        profile: "p",
        force: false,
        credentials: {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          sessionToken: c.sessionToken ?? "",
          expiration: GOOD.expiration,
        },
      }),
  ],
];

const FIELDS = ["accessKeyId", "secretAccessKey", "sessionToken"] as const;

const refused = (e: unknown): boolean =>
  isAwsmfaError(e) &&
  e.code === "E_CREDENTIAL_VALUE" &&
  !e.message.includes("PWNED") &&
  !(e.hint ?? "").includes("PWNED");

test("regression (#9 item 19): --format ini put a newline from an STS value into its output, injecting a section; every formatter and write now refuse it alike", () => {
  for (const [name, render] of OUTPUTS) {
    assert.doesNotThrow(() => render(GOOD), `${name} accepts ordinary values`);
    for (const field of FIELDS) {
      for (const bad of [INJECTED, "a\rb", "a\u0000b", "a\u001bb", "a\tb"]) {
        const c: OutputCredentials = { ...GOOD, [field]: `${GOOD[field]}${bad}` };
        assert.throws(
          () => render(c),
          refused,
          `${name} must refuse a control character in ${field}`,
        );
      }
    }
  }
  // --region reaches --format ini and json as text too.
  assert.throws(() => formatIni({ ...GOOD, region: `eu-west-1${INJECTED}` }, "p"), refused);
  assert.throws(() => formatJson({ ...GOOD, region: "eu\nwest" }), refused);
});

test("regression (#9 item 19): export --format ini of a credential_process that returns a newline in its token: exit 1, one message, nothing printed", async () => {
  const sb = await makeSandbox();
  try {
    const script = join(sb.home, "bad-process.mjs");
    const out = {
      Version: 1,
      AccessKeyId: GOOD.accessKeyId,
      SecretAccessKey: GOOD.secretAccessKey,
      SessionToken: `tok${INJECTED}`,
      Expiration: "2099-01-01T00:00:00Z",
    };
    await writeFile(script, `process.stdout.write(${JSON.stringify(JSON.stringify(out))});\n`);
    await chmod(script, 0o600);
    await sb.writeConfig(
      `[profile bad]\ncredential_process = ${process.execPath} ${script}\nregion = eu-west-1\n`,
    );
    for (const format of ["ini", "json", "export-env", "credential-process"]) {
      const r = await sb.run(["export", "bad", "--format", format]);
      assert.equal(r.code, 1, `${format}: ${r.stderr}`);
      assert.equal(r.stdout, "", `${format} printed nothing`);
      assert.match(
        r.stderr,
        /^awsmfa: The session token awsmfa got contains a line break or another control character; awsmfa will not print or write it\.\n {2}hint: /,
      );
      assert.doesNotMatch(r.stderr, /PWNED|evil/);
    }
    const w = await sb.run(["write", "bad", "--to", "bad-out"]);
    assert.equal(w.code, 1, w.stderr);
    assert.match(w.stderr, /The session token awsmfa got contains a line break/);
    await assert.rejects(readFile(sb.credentialsFile, "utf8"), /ENOENT/);
  } finally {
    await sb.cleanup();
  }
});
