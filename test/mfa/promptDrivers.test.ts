import { test } from "node:test";
import assert from "node:assert/strict";
import { AwsmfaError } from "../../src/errors.ts";
import { createMfaCodeSource } from "../../src/mfa/mfaCodeSource.ts";
import type { PromptDriverDeps, RunPromptTool } from "../../src/mfa/promptDriver.ts";
import { promptDriver } from "../../src/mfa/promptDrivers.ts";
import { osascriptArgs } from "../../src/mfa/osascriptPrompt.ts";
import { ykmanArgs } from "../../src/mfa/ykmanPrompt.ts";

const SERIAL = "arn:aws:iam::111111111111:mfa/alice";

test("ykman: the serial as the credential name unless YKMAN_OATH_CREDENTIAL_NAME; --device only with YKMAN_OATH_DEVICE_SERIAL", () => {
  assert.deepEqual(ykmanArgs(SERIAL, {}), ["oath", "accounts", "code", "--single", SERIAL]);
  assert.deepEqual(
    ykmanArgs(SERIAL, { YKMAN_OATH_CREDENTIAL_NAME: "AWS alice", YKMAN_OATH_DEVICE_SERIAL: "7" }),
    ["--device", "7", "oath", "accounts", "code", "--single", "AWS alice"],
  );
  assert.deepEqual(ykmanArgs(SERIAL, { YKMAN_OATH_CREDENTIAL_NAME: "" }).at(-1), SERIAL);
});

test("osascript: the script is fixed text and the serial an argument, so a quote in it cannot change the script", () => {
  const tricky = 'arn:aws:iam::1:mfa/a" & do shell script "id';
  const args = osascriptArgs(tricky);
  assert.equal(args.at(-1), tricky);
  assert.deepEqual(osascriptArgs(SERIAL).slice(0, -1), args.slice(0, -1));
  assert.ok(args.slice(0, -1).every((a) => !a.includes("mfa/")));
});

function deps(run: RunPromptTool): PromptDriverDeps & { ran: [string, readonly string[]][] } {
  const ran: [string, readonly string[]][] = [];
  return {
    ran,
    env: { HOME: "/h", AWSMFA_FILE_PASSPHRASE: "secret" },
    runTool: (file, args, options) => {
      ran.push([file, args]);
      assert.equal(
        options.env.AWSMFA_FILE_PASSPHRASE,
        undefined,
        "the store passphrase stays ours",
      );
      return run(file, args, options);
    },
    debug: () => undefined,
  };
}

test("ykman runs on the terminal, the dialogs without one", async () => {
  const stdios: string[] = [];
  for (const name of ["ykman", "zenity", "kdialog", "osascript"] as const) {
    const d = deps((_f, _a, o) => {
      stdios.push(`${name}:${o.stdio}`);
      return Promise.resolve({ code: 0, stdout: "123456\n", timedOut: false });
    });
    assert.equal(await promptDriver(name, d).ask({ serial: SERIAL, profile: "p" }), "123456\n");
    assert.equal(d.ran[0]?.[0], name);
  }
  assert.deepEqual(stdios, ["ykman:terminal", "zenity:none", "kdialog:none", "osascript:none"]);
});

test("a program that hangs is stopped and named; ykman's exit 1 is a failure, a dialog's a cancel", async () => {
  const hung = deps(() => Promise.resolve({ code: null, stdout: "", timedOut: true }));
  await assert.rejects(promptDriver("ykman", hung).ask({ serial: SERIAL, profile: "p" }), {
    code: "E_MFA_PROMPT_TIMEOUT",
  });
  const one = deps(() => Promise.resolve({ code: 1, stdout: "", timedOut: false }));
  await assert.rejects(promptDriver("ykman", one).ask({ serial: SERIAL, profile: "p" }), {
    code: "E_MFA_PROMPT_FAILED",
  });
  await assert.rejects(promptDriver("kdialog", one).ask({ serial: SERIAL, profile: "p" }), {
    code: "E_CANCELLED",
    exitCode: 130,
  });
});

test("the driver is asked after --mfa-token and mfa_process, and only once per code", async () => {
  let asked = 0;
  const source = createMfaCodeSource({
    token: "246802",
    prompt: () => Promise.reject(new AwsmfaError("E_NO_TTY", "no terminal")),
    driver: {
      name: "zenity",
      ask: () => {
        asked++;
        return Promise.resolve(" 135 790\n");
      },
    },
    runProcess: () => Promise.resolve({ code: 0, stdout: "111111\n" }),
    env: {},
    debug: () => undefined,
  });
  assert.equal(await source({ serial: SERIAL, profile: "p" }), "246802");
  assert.equal(
    await source({ serial: "arn:aws:iam::1:mfa/b", profile: "q", mfaProcess: { command: "x" } }),
    "111111",
  );
  assert.equal(asked, 0);
  assert.equal(await source({ serial: "arn:aws:iam::1:mfa/c", profile: "r" }), "135790");
  assert.equal(asked, 1);
});
