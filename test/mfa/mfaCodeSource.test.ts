import { test } from "node:test";
import assert from "node:assert/strict";
import { AwsmfaError } from "../../src/errors.ts";
import { checkMfaCode } from "../../src/mfa/mfaCode.ts";
import { createMfaCodeSource, type MfaCodeSourceDeps } from "../../src/mfa/mfaCodeSource.ts";
import type { RunProcess } from "../../src/platform/RunProcess.ts";

const ALICE = "arn:aws:iam::111111111111:mfa/alice";
const BOB = "arn:aws:iam::111111111111:mfa/bob";

function deps(over: Partial<MfaCodeSourceDeps> = {}): MfaCodeSourceDeps & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    prompt: (q) => {
      asked.push(q);
      return Promise.resolve("135790");
    },
    runProcess: () => Promise.reject(new Error("not expected")),
    env: { HOME: "/home/u" },
    debug: () => undefined,
    ...over,
  };
}

const noTty = () => Promise.reject(new AwsmfaError("E_NO_TTY", "no terminal"));

test("codes are six digits; spaces are forgiven; the message never repeats the input", () => {
  assert.equal(checkMfaCode(" 123 456\n", "x"), "123456");
  for (const bad of ["12345", "1234567", "12345a", "", "hunter2hunter2"]) {
    assert.throws(
      () => checkMfaCode(bad, "--mfa-token"),
      (e: unknown) => {
        assert.ok(e instanceof AwsmfaError);
        assert.equal(e.code, "E_BAD_MFA_CODE");
        if (bad !== "") assert.ok(!e.message.includes(bad));
        return true;
      },
    );
  }
});

test("--mfa-token first, used once; then the terminal, asking for the device by ARN", async () => {
  const d = deps({ token: "246802" });
  const source = createMfaCodeSource(d);
  assert.equal(await source({ serial: ALICE, profile: "p" }), "246802");
  assert.equal(await source({ serial: BOB, profile: "p" }), "135790");
  assert.deepEqual(d.asked, [`Enter MFA code for ${BOB}: `]);
});

test("a second code with no terminal names the single-use rule", async () => {
  const source = createMfaCodeSource(deps({ token: "246802", prompt: noTty }));
  await source({ serial: ALICE, profile: "p" });
  await assert.rejects(source({ serial: BOB, profile: "p" }), (e: unknown) => {
    assert.ok(e instanceof AwsmfaError);
    assert.equal(e.code, "E_MFA_TOKEN_USED");
    assert.match(e.message, /accepted only once/);
    return true;
  });
});

test("no terminal and nothing else: says to use --mfa-token or mfa_process", async () => {
  const source = createMfaCodeSource(deps({ prompt: noTty }));
  await assert.rejects(source({ serial: ALICE, profile: "admin" }), (e: unknown) => {
    assert.ok(e instanceof AwsmfaError);
    assert.equal(e.code, "E_MFA_NO_TERMINAL");
    assert.match(e.message, /admin/);
    assert.match(e.hint ?? "", /--mfa-token.*mfa_process/);
    return true;
  });
});

test("mfa_process beats the terminal; its output is trimmed and checked", async () => {
  const calls: string[] = [];
  const run: RunProcess = (command, o) => {
    calls.push(`${command} | ${o.what} | ${String(o.timeoutMs > 0)} | ${o.env.HOME ?? ""}`);
    return Promise.resolve({ stdout: "  864200 \n", code: 0 });
  };
  const d = deps({ runProcess: run });
  const source = createMfaCodeSource(d);
  const code = await source({
    serial: ALICE,
    profile: "admin",
    mfaProcess: { command: "ykman oath accounts code -s aws", where: { file: "/c", line: 4 } },
  });
  assert.equal(code, "864200");
  assert.deepEqual(calls, [
    "ykman oath accounts code -s aws | mfa_process of profile admin (/c:4) | true | /home/u",
  ]);
  assert.deepEqual(d.asked, []);
});

test("regression (#9 item 13): mfa_process does not get the file store passphrase in its environment", async () => {
  let seen: Readonly<Record<string, string>> | undefined;
  const runProcess: RunProcess = (_command, o) => {
    seen = o.env;
    return Promise.resolve({ stdout: "112233\n", code: 0 });
  };
  const source = createMfaCodeSource(
    deps({
      runProcess,
      env: {
        HOME: "/home/u",
        AWSMFA_FILE_PASSPHRASE: "correct horse battery staple",
        AWS_VAULT_FILE_PASSPHRASE: "aws-vault passphrase",
      },
    }),
  );
  assert.equal(
    await source({ serial: ALICE, profile: "p", mfaProcess: { command: "ykman oath code" } }),
    "112233",
  );
  assert.ok(seen !== undefined);
  assert.equal(seen.HOME, "/home/u", "the rest of the environment is passed on");
  assert.equal(seen.AWSMFA_FILE_PASSPHRASE, undefined);
  assert.equal(seen.AWS_VAULT_FILE_PASSPHRASE, undefined);
});
