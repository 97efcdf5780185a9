import { test } from "node:test";
import assert from "node:assert/strict";
import {
  parseAwsmfaCall,
  parseCredentialProcessOutput,
} from "../../src/credentials/credentialProcess.ts";

test("recognises awsmfa calling itself and the profile it asks for", () => {
  const cases: [string, string | undefined][] = [
    ["awsmfa export --no-session --format credential-process caktus", "caktus"],
    ["awsmfa export --format=credential-process caktus", "caktus"],
    ["/usr/local/bin/awsmfa --backend file export -f credential-process caktus", "caktus"],
    ["npx awsmfa export --format credential-process caktus", "caktus"],
    ["npx --yes awsmfa export caktus", "caktus"],
    ["node /home/a/src/awsmfa/dist/awsmfa.js export caktus", "caktus"],
    ["node /home/a/src/awsmfa/dist/awsmfa.cjs export caktus", "caktus"],
    ["node /opt/awsmfa/dist/chunks/x.js export caktus", "caktus"],
    ["awsmfa export --format credential-process", undefined],
    ["awsmfa export caktus 2>/dev/null", "caktus"],
    ["'/opt/my tools/awsmfa' export 'my profile'", "my profile"],
  ];
  for (const [cmd, profile] of cases) {
    assert.deepEqual(parseAwsmfaCall(cmd), { profile }, cmd);
  }
});

test("other commands are not awsmfa", () => {
  for (const cmd of [
    "aws-vault exec --no-session --json caktus",
    "awsmfa-helper export caktus",
    "npx other export caktus",
    "node script.js export caktus",
    "",
  ]) {
    assert.equal(parseAwsmfaCall(cmd), undefined, cmd);
  }
});

test("credential_process JSON Version 1 is validated without echoing secrets", () => {
  const now = Date.parse("2024-01-01T00:00:00Z");
  const ok = parseCredentialProcessOutput(
    JSON.stringify({
      Version: 1,
      AccessKeyId: "AKIAEXAMPLEEXAMPLE12",
      SecretAccessKey: "s3cr3t",
      SessionToken: "tok",
      Expiration: "2024-01-01T01:00:00Z",
    }),
    "credential_process of profile p",
    now,
  );
  assert.equal(ok.sessionToken, "tok");
  assert.equal(ok.expiration?.toISOString(), "2024-01-01T01:00:00.000Z");

  const longTerm = parseCredentialProcessOutput(
    '{"Version":1,"AccessKeyId":"AKIAX","SecretAccessKey":"y"}',
    "x",
    now,
  );
  assert.equal(longTerm.sessionToken, undefined);
  assert.equal(longTerm.expiration, undefined);

  for (const [out, code] of [
    ["not json SECRETVALUE", "E_CREDENTIAL_PROCESS_OUTPUT"],
    [
      '{"Version":2,"AccessKeyId":"a","SecretAccessKey":"SECRETVALUE"}',
      "E_CREDENTIAL_PROCESS_OUTPUT",
    ],
    ['{"Version":1,"SecretAccessKey":"SECRETVALUE"}', "E_CREDENTIAL_PROCESS_OUTPUT"],
    [
      '{"Version":1,"AccessKeyId":"a","SecretAccessKey":"SECRETVALUE","Expiration":"soon"}',
      "E_CREDENTIAL_PROCESS_OUTPUT",
    ],
    [
      '{"Version":1,"AccessKeyId":"a","SecretAccessKey":"SECRETVALUE","Expiration":"2023-01-01T00:00:00Z"}',
      "E_CREDENTIAL_PROCESS_EXPIRED",
    ],
  ] as const) {
    assert.throws(
      () => parseCredentialProcessOutput(out, "x", now),
      (e: unknown) => {
        assert.ok(e instanceof Error && "code" in e && e.code === code, out);
        assert.ok(!e.message.includes("SECRETVALUE"));
        return true;
      },
    );
  }
});
