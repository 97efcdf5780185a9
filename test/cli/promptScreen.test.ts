/**
 * What a person sees while awsmfa asks a question during a network wait:
 * the built CLI runs in a tmux pane against fake-aws, and the pane is read
 * (capture-pane) while each prompt waits for an answer.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { BIN } from "../helpers/sandbox.ts";
import { hasTmux, startInTmux } from "../helpers/tmux.ts";
import { ALICE, ALICE_MFA, skipLoudly, startWorld, type World } from "./helpers.ts";

const SPINNER_GLYPHS = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(`[profile alice]\nmfa_serial = ${ALICE_MFA}\n`);
  await w.addAlice("alice");
});
after(() => w.stop());

/** Waits until the question is on screen, then lets well over ten spinner frames (80 ms each) pass and reads the screen again. */
async function screenWhileWaiting(
  pane: Awaited<ReturnType<typeof startInTmux>>,
  question: string,
): Promise<string> {
  await pane.waitFor(`the prompt "${question}"`, (s) => s.includes(question));
  await sleep(1500);
  return pane.screen();
}

test("regression (#9 item 2): the spinner does not draw over the passphrase and MFA prompts; exec completes once they are answered", async (t) => {
  if (!hasTmux) {
    skipLoudly(t, "tmux not installed: cannot read a terminal's screen");
    return;
  }
  // No passphrase in the environment: the file store asks on the terminal.
  const env = { ...w.sb.env };
  delete env.AWSMFA_FILE_PASSPHRASE;
  const pane = await startInTmux(
    w.sb.home,
    [
      process.execPath,
      BIN,
      "exec",
      "alice",
      "--",
      "sh",
      "-c",
      'echo "child got key ${AWS_ACCESS_KEY_ID%${AWS_ACCESS_KEY_ID#????}}"',
    ],
    env,
  );
  t.after(() => pane.kill());

  const passphrase = "Passphrase for the awsmfa file store at";
  let screen = await screenWhileWaiting(pane, passphrase);
  assert.ok(screen.includes(passphrase), `passphrase prompt drawn over:\n${screen}`);
  assert.doesNotMatch(
    screen,
    SPINNER_GLYPHS,
    `a spinner is on screen during the prompt:\n${screen}`,
  );
  assert.doesNotMatch(screen, /getting the/, screen);
  await pane.type(String(w.sb.env.AWSMFA_FILE_PASSPHRASE));

  const mfa = `Enter MFA code for ${ALICE_MFA}:`;
  screen = await screenWhileWaiting(pane, mfa);
  assert.ok(screen.includes(mfa), `MFA prompt drawn over:\n${screen}`);
  assert.doesNotMatch(
    screen,
    SPINNER_GLYPHS,
    `a spinner is on screen during the prompt:\n${screen}`,
  );
  // The passphrase question is still there above it (nothing erased it).
  assert.ok(screen.includes(passphrase), screen);
  await pane.type(w.code());

  screen = await pane.waitFor("the command's end", (s) => s.includes("[exit "));
  assert.match(screen, /\[exit 0\]/, screen);
  // Session credentials (ASIA...), not the long-term key, reached the child.
  assert.match(screen, /child got key ASIA/, screen);
  assert.ok(!screen.includes(ALICE.accessKeyId), screen);
  // The spinner erased itself when the wait ended.
  assert.doesNotMatch(screen, SPINNER_GLYPHS, screen);
});
