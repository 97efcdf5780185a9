/**
 * The passphrase is asked once per login (issue #10): on a real terminal,
 * `awsmfa exec` asks for it (and starts the agent), then a nested `awsmfa
 * exec` and the AWS CLI calling awsmfa through credential_process read the
 * store through the agent without a second question.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { hasTmux, startInTmux } from "../helpers/tmux.ts";
import { ALICE_ARN, ALICE_MFA, skipLoudly, startWorld, type World } from "../cli/helpers.ts";

const hasAwsCli = spawnSync("aws", ["--version"]).status === 0;

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(
    `[profile alice]\nmfa_serial = ${ALICE_MFA}\n\n` +
      `[profile tools]\ncredential_process = awsmfa export --format credential-process alice\n`,
  );
  await w.addAlice("alice");
});
after(async () => {
  await w.sb.run(["lock", "--stop"]);
  await w.stop();
});

test("exec, a nested exec and the AWS CLI's credential_process: one passphrase prompt for all three", async (t) => {
  if (!hasTmux || !hasAwsCli) {
    skipLoudly(t, `${hasTmux ? "the AWS CLI (aws)" : "tmux"} is not installed`);
    return;
  }
  const env = { ...w.sb.env };
  delete env.AWSMFA_FILE_PASSPHRASE;
  const pane = await startInTmux(
    w.sb.home,
    [
      "awsmfa",
      "exec",
      "alice",
      "--",
      "sh",
      "-c",
      "awsmfa exec alice -- aws sts get-caller-identity --profile tools --query Arn --output text",
    ],
    env,
  );
  t.after(() => pane.kill());
  const passphrase = "Passphrase for the awsmfa file store at";
  await pane.waitFor("the passphrase prompt", (s) => s.includes(passphrase));
  await pane.type(String(w.sb.env.AWSMFA_FILE_PASSPHRASE));
  const mfa = `Enter MFA code for ${ALICE_MFA}:`;
  await pane.waitFor("the MFA prompt", (s) => s.includes(mfa));
  await pane.type(w.code());
  const screen = await pane.waitFor("the end", (s) => s.includes("[exit "), 60_000);
  assert.match(screen, /\[exit 0\]/, screen);
  assert.ok(screen.includes(ALICE_ARN), `the AWS CLI printed alice's ARN:\n${screen}`);
  assert.equal(screen.split(passphrase).length - 1, 1, `one passphrase prompt:\n${screen}`);
  assert.equal(screen.split("Enter MFA code").length - 1, 1, `one MFA prompt:\n${screen}`);

  // The agent holds the key; the passphrase never reached it or its environment.
  const hello = await w.sb.run(["lock"], { env: { AWSMFA_FILE_PASSPHRASE: undefined } });
  assert.match(hello.stderr, /forgot 1 store key/);
});
