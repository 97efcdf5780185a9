// 20 `awsmfa write` processes at once, each to its own section of one
// credentials file: every section lands, nothing else changes, and botocore
// (the AWS CLI's reader) reads every one of them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { after, before, it } from "node:test";
import { parseIni } from "../../src/config/IniDocument.ts";
import { runProcess } from "../helpers/sandbox.ts";
import { READONLY_ROLE, field, skipLoudly, startWorld, type World } from "../cli/helpers.ts";

const N = 20;
const CREDENTIALS =
  "# hand-kept, CRLF\r\n[default]\r\naws_access_key_id = AKIADEFAULT000000001\r\naws_secret_access_key = default/secret\r\n\r\n; the end\r\n";

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(
    `[profile base]\nregion = us-east-1\n\n[profile ro]\nrole_arn = ${READONLY_ROLE}\nsource_profile = base\n`,
  );
  await w.sb.writeCredentials(CREDENTIALS);
  await w.addAlice("base");
});
after(() => w.stop());

const BOTOCORE_READ = `
import json, sys, botocore.session
out = {}
for name in sys.argv[1:]:
    c = botocore.session.Session(profile=name).get_credentials()
    out[name] = None if c is None else {"key": c.access_key, "secret": c.secret_key, "token": c.token}
print(json.dumps(out))
`;

it(`${String(N)} parallel writes to different sections all land; the file stays valid for botocore and the AWS CLI`, async (t) => {
  const names = Array.from({ length: N }, (_, i) => `par-${String(i)}`);
  const results = await Promise.all(names.map((n) => w.sb.run(["write", "ro", "--to", n])));
  results.forEach((r, i) => {
    assert.equal(r.code, 0, `writer ${String(i)}: ${r.stderr}`);
  });

  const text = await readFile(w.sb.credentialsFile, "utf8");
  assert.ok(text.startsWith(CREDENTIALS), "the hand-kept part is byte-identical");
  const doc = parseIni(text, "credentials");
  const ours = doc.sections().filter((s) => s.get("awsmfa_written_for") === "ro");
  assert.deepEqual(ours.map((s) => s.header).sort(), [...names].sort());
  assert.equal(doc.sections().length, N + 1);

  const py = spawnSync("python3", ["-c", "import botocore"], { encoding: "utf8" });
  if (py.status !== 0) {
    skipLoudly(t, "botocore not installed: python3 -c 'import botocore' failed");
    return;
  }
  const read = await runProcess("python3", ["-c", BOTOCORE_READ, ...names], w.sb.env);
  assert.equal(read.code, 0, read.stderr);
  const seen: unknown = JSON.parse(read.stdout);
  for (const n of names) {
    const s = doc.getSection(n);
    assert.ok(s !== undefined);
    assert.deepEqual(field(seen, n), {
      key: s.get("aws_access_key_id"),
      secret: s.get("aws_secret_access_key"),
      token: s.get("aws_session_token"),
    });
  }

  const cli = await runProcess("aws", ["sts", "get-caller-identity", "--output", "json"], {
    ...w.sb.env,
    AWS_PROFILE: "par-7",
  });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /"Arn": "arn:aws:sts::111111111111:assumed-role\/readonly\//);
});
