/**
 * Issue #12, MFA code sources: --prompt ykman|zenity|kdialog (and
 * AWSMFA_PROMPT, aws-vault's AWS_VAULT_PROMPT) run fake programs put first
 * on PATH. Each fake records its argv and prints a fresh TOTP code from
 * fake-aws; the tests check the argv shape, one call per prompt, and that
 * the credentials it led to work.
 */
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runProcess } from "../helpers/sandbox.ts";
import { hasTmux, startInTmux } from "../helpers/tmux.ts";
import {
  ALICE_ARN,
  ALICE_MFA,
  callsOf,
  field,
  onlyCall,
  parseProcessCreds,
  skipLoudly,
  startWorld,
  type World,
} from "./helpers.ts";

let w: World;
let awsMissing: string | undefined;
let callLog = "";
let codeFile = "";

/** A fake program: records "$0" and each argument on a line, then prints the code (or exits as told). */
const FAKE = `#!/bin/sh
{ echo "$(basename "$0")"; printf '%s\\n' "$@"; echo "--end--"; } >> "$FAKE_CALL_LOG"
if [ -n "$FAKE_TOOL_EXIT" ]; then exit "$FAKE_TOOL_EXIT"; fi
if [ -n "$FAKE_TOUCH" ]; then echo "Touch your YubiKey..." >&2; read -r _; fi
cat "$FAKE_CODE_FILE"
`;

before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(`[profile alice]
mfa_serial = ${ALICE_MFA}

[profile alice-tools]
credential_process = awsmfa export --format credential-process alice

[profile alice-proc]
mfa_serial = ${ALICE_MFA}
mfa_process = sh -c "cat \\"$FAKE_CODE_FILE\\""
`);
  await w.addAlice("alice");
  await w.addAlice("alice-proc");
  callLog = join(w.sb.home, "tool-calls.log");
  codeFile = join(w.sb.home, "next-code");
  for (const tool of ["ykman", "zenity", "kdialog"]) {
    const p = join(w.binDir, tool);
    await writeFile(p, FAKE);
    await chmod(p, 0o755);
  }
  Object.assign(w.sb.env, { FAKE_CALL_LOG: callLog, FAKE_CODE_FILE: codeFile });
  const probe = await runProcess("aws", ["--version"], w.sb.env).catch((e: unknown) => ({
    code: null,
    stderr: String(e),
  }));
  if (probe.code !== 0) awsMissing = `AWS CLI v1 ('aws' on PATH) not usable: ${probe.stderr}`;
});
after(() => w.stop());

beforeEach(async () => {
  await rm(callLog, { force: true });
  const r = await w.sb.run(["clear"]);
  assert.equal(r.code, 0, r.stderr);
  await writeFile(codeFile, `${w.code()}\n`);
  w.aws.clearCalls();
});

/** Every recorded call: [program, ...argv]. */
async function toolCalls(): Promise<string[][]> {
  const text = await readFile(callLog, "utf8").catch(() => "");
  const calls: string[][] = [];
  let current: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "--end--") {
      calls.push(current);
      current = [];
    } else if (line !== "" || current.length > 0) current.push(line);
  }
  return calls;
}

function assertOneMfaSession(): void {
  const gst = onlyCall(w.aws, "GetSessionToken");
  assert.equal(gst.mfaCodeSent, true);
}

test("--prompt ykman: 'ykman oath accounts code --single <mfa_serial>', once; the code gets a session", async () => {
  const r = await w.sb.run([
    "--prompt",
    "ykman",
    "export",
    "alice",
    "--format",
    "credential-process",
  ]);
  assert.equal(r.code, 0, r.stderr);
  parseProcessCreds(r.stdout);
  assert.deepEqual(await toolCalls(), [
    ["ykman", "oath", "accounts", "code", "--single", ALICE_MFA],
  ]);
  assertOneMfaSession();
});

test("AWS_VAULT_PROMPT=ykman left from aws-vault, under the AWS CLI's credential_process: --device and the credential name from aws-vault's variables; the second call uses the cache", async (t) => {
  if (awsMissing !== undefined) {
    skipLoudly(t, awsMissing);
    return;
  }
  const env = {
    AWS_VAULT_PROMPT: "ykman",
    YKMAN_OATH_CREDENTIAL_NAME: "AWS alice",
    YKMAN_OATH_DEVICE_SERIAL: "12345678",
  };
  const run = () =>
    runProcess("aws", ["sts", "get-caller-identity", "--profile", "alice-tools"], {
      ...w.sb.env,
      ...env,
    });
  const r = await run();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(field(JSON.parse(r.stdout), "Arn"), ALICE_ARN);
  assert.deepEqual(await toolCalls(), [
    ["ykman", "--device", "12345678", "oath", "accounts", "code", "--single", "AWS alice"],
  ]);
  assertOneMfaSession();
  const again = await run();
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await toolCalls()).length, 1, "no second ykman call: the session was cached");
  assert.equal(callsOf(w.aws, "GetSessionToken").length, 1);
});

test("--prompt zenity and AWSMFA_PROMPT=kdialog: a dialog asking for the device; exec's child gets working credentials", async (t) => {
  if (awsMissing !== undefined) {
    skipLoudly(t, awsMissing);
    return;
  }
  const r = await w.sb.run([
    "--prompt",
    "zenity",
    "exec",
    "alice",
    "--",
    "aws",
    "sts",
    "get-caller-identity",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(field(JSON.parse(r.stdout), "Arn"), ALICE_ARN);
  assert.deepEqual(await toolCalls(), [
    ["zenity", "--entry", "--title", "awsmfa", "--text", `Enter MFA code for ${ALICE_MFA}`],
  ]);
  assertOneMfaSession();

  await rm(callLog, { force: true });
  assert.equal((await w.sb.run(["clear"])).code, 0);
  await writeFile(codeFile, `${w.code()}\n`);
  w.aws.clearCalls();
  const k = await w.sb.run(["exec", "alice", "--", "aws", "sts", "get-caller-identity"], {
    env: { AWSMFA_PROMPT: "kdialog", AWS_VAULT_PROMPT: "zenity" },
  });
  assert.equal(k.code, 0, k.stderr);
  assert.equal(field(JSON.parse(k.stdout), "Arn"), ALICE_ARN);
  assert.deepEqual(await toolCalls(), [
    ["kdialog", "--title", "awsmfa", "--inputbox", `Enter MFA code for ${ALICE_MFA}`],
  ]);
  assertOneMfaSession();
});

test("a cancelled dialog ends with exit 130 and a message; nothing is sent to AWS", async () => {
  const r = await w.sb.run(["--prompt", "zenity", "export", "alice"], {
    env: { FAKE_TOOL_EXIT: "1" },
  });
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /Prompt zenity: the MFA code dialog for .*mfa\/alice was cancelled/);
  assert.equal(callsOf(w.aws, "GetSessionToken").length, 0);
  assert.equal(r.stdout, "");
});

test("ykman failing (no key plugged in) names the command to try; a prompt program not installed says what to install", async () => {
  const failed = await w.sb.run(["--prompt", "ykman", "export", "alice"], {
    env: { FAKE_TOOL_EXIT: "2" },
  });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /Prompt ykman: 'ykman' failed \(exit code 2\)/);
  assert.match(
    failed.stderr,
    /ykman oath accounts code --single arn:aws:iam::111111111111:mfa\/alice/,
  );

  const missing = await w.sb.run(["--prompt", "osascript", "export", "alice"], {
    env: { PATH: w.binDir },
  });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Prompt osascript: 'osascript' was not found on PATH/);
  assert.match(missing.stderr, /--prompt terminal/);
  assert.equal(callsOf(w.aws, "GetSessionToken").length, 0);
});

test("the code a program prints is checked and never shown, even with --debug", async () => {
  await writeFile(codeFile, "12345x\n");
  const bad = await w.sb.run(["--prompt", "ykman", "export", "alice"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /The MFA code from --prompt ykman is not 6 digits/);
  assert.ok(!bad.stderr.includes("12345x"));
  const code = w.code();
  await writeFile(codeFile, `${code}\n`);
  const ok = await w.sb.run(["--debug", "--prompt", "ykman", "export", "alice"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /asking ykman \(--prompt ykman\) for the MFA code/);
  assert.ok(!ok.stderr.includes(code), "the code is not in the debug output");
});

test("a profile's mfa_process wins over the global --prompt (the more specific setting, as in aws-vault)", async () => {
  const r = await w.sb.run(["--prompt", "ykman", "export", "alice-proc"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await toolCalls(), []);
  assertOneMfaSession();
});

test("ykman's touch prompt reaches the terminal while the AWS CLI captures awsmfa's stderr (credential_process), and ykman reads the terminal", async (t) => {
  if (!hasTmux) {
    skipLoudly(t, "tmux not installed: cannot read a terminal's screen");
    return;
  }
  if (awsMissing !== undefined) {
    skipLoudly(t, awsMissing);
    return;
  }
  const pane = await startInTmux(
    w.sb.home,
    ["aws", "sts", "get-caller-identity", "--profile", "alice-tools", "--output", "text"],
    { ...w.sb.env, AWS_VAULT_PROMPT: "ykman", FAKE_TOUCH: "1" },
  );
  t.after(() => pane.kill());
  // The fake waits for a line on its stdin: it waits until the test types
  // on the terminal, so the screen is read while the touch prompt is up.
  const screen = await pane.waitFor("ykman's touch prompt", (s) =>
    s.includes("Touch your YubiKey..."),
  );
  assert.doesNotMatch(screen, /\[exit /, screen);
  await pane.type("");
  const done = await pane.waitFor("the AWS CLI's end", (s) => s.includes("[exit "));
  assert.match(done, /\[exit 0\]/, done);
  assert.ok(done.includes(ALICE_ARN), done);
  assert.deepEqual(await toolCalls(), [
    ["ykman", "oath", "accounts", "code", "--single", ALICE_MFA],
  ]);
  assertOneMfaSession();
});
