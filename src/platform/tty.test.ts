import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { drivePty, hasPty, type PtyStep } from "../../test/helpers/pty.ts";
import { AwsmfaError } from "../errors.ts";
import { openTty } from "./tty.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../test/platform/fixtures/${name}`, import.meta.url));
const root = await mkdtemp(join(tmpdir(), "awsmfa-tty-"));
after(() => rm(root, { recursive: true, force: true }));

/**
 * Runs the ttyAsk fixture under a real pseudo-terminal, stdin /dev/null and
 * stdout and stderr captured to a file: the questions can only reach the
 * "user" through /dev/tty. Returns what the terminal showed and the answers.
 */
async function underPty(questions: string[], steps: PtyStep[]) {
  const output = join(root, `out-${Math.random().toString(36).slice(2)}.txt`);
  const argv = [process.execPath, "--import", "tsx", fixture("ttyAsk.ts"), ...questions];
  const { transcript } = await drivePty({
    argv,
    stdin: "null",
    stdout: output,
    stderr: "stdout",
    steps,
  });
  const answers = await readFile(output, "utf8");
  return {
    transcript,
    results: answers
      .trim()
      .split("\n")
      .map((l): unknown => JSON.parse(l)),
  };
}

describe("openTty().prompt under a real terminal", () => {
  it("reads hidden input without echoing it, and visible input with editing keys", async (t) => {
    if (!hasPty) {
      process.stderr.write("!!! SKIPPED tty test: python3 with pty not installed\n");
      t.skip("python3 not installed: the pty driver needs it");
      return;
    }
    const { transcript, results } = await underPty(
      ["hidden:Passphrase: ", "shown:MFA code: ", "shown:Name: "],
      [
        // "X" then backspace, and a character outside ASCII
        { expect: "Passphrase: ", send: "s3cr3tX\x7fé!\r" },
        // an arrow key's escape sequence is ignored, not typed
        { expect: "MFA code: ", send: "12\x1b[D34\r" },
        // Ctrl-U clears the line, backspace removes the last character
        { expect: "Name: ", send: "wrong\x15jane\x7fe\r" },
      ],
    );
    assert.deepEqual(results, [
      { answer: "s3cr3té!" },
      { answer: "1234" },
      { answer: "jane" },
      { leakedFds: 0 },
    ]);
    assert.ok(!transcript.includes("s3cr"), `hidden input echoed: ${JSON.stringify(transcript)}`);
    assert.ok(!transcript.includes("é"));
    assert.match(transcript, /^Passphrase: \r\nMFA code: 1234\r\n/);
    assert.ok(transcript.includes("Name: wrong"));
    assert.ok(transcript.endsWith("jane\b \be\r\n"), JSON.stringify(transcript));
  });

  it("turns Ctrl-C into E_CANCELLED (exit 130) and Ctrl-D into E_TTY_EOF", async (t) => {
    if (!hasPty) {
      process.stderr.write("!!! SKIPPED tty test: python3 with pty not installed\n");
      t.skip("python3 not installed: the pty driver needs it");
      return;
    }
    const { results } = await underPty(
      ["hidden:First: ", "shown:Second: ", "hidden:Third: "],
      [
        { expect: "First: ", send: "abc\x03" },
        { expect: "Second: ", send: "\x04" },
        { expect: "Third: ", send: "still works\r" },
      ],
    );
    assert.equal(results.length, 4);
    assert.deepEqual(pick(results[0]), { code: "E_CANCELLED", exitCode: 130 });
    assert.deepEqual(pick(results[1]), { code: "E_TTY_EOF", exitCode: 1 });
    assert.deepEqual(results.slice(2), [{ answer: "still works" }, { leakedFds: 0 }]);
  });
});

describe("openTty without a terminal", () => {
  it("says what it would have asked for and what to do instead", async () => {
    await assert.rejects(
      openTty({
        path: join(root, "no-such-tty"),
        purpose: "the file store passphrase",
        hint: "Set AWSMFA_FILE_PASSPHRASE.",
      }),
      (e: unknown) => {
        assert.ok(e instanceof AwsmfaError);
        assert.equal(e.code, "E_NO_TTY");
        assert.match(
          e.message,
          /^No terminal to ask for the file store passphrase: cannot open .*no-such-tty \(ENOENT\)\.$/,
        );
        assert.equal(e.hint, "Set AWSMFA_FILE_PASSPHRASE.");
        return true;
      },
    );
  });

  it("fails with E_NO_TTY in a process that has no controlling terminal", async () => {
    // detached: the child runs in a new session (setsid), so /dev/tty cannot open.
    const child = spawn(process.execPath, ["--import", "tsx", fixture("ttyAsk.ts"), "shown:Q: "], {
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(code, 0);
    const result: unknown = JSON.parse(out);
    assert.deepEqual(pick(result), { code: "E_NO_TTY", exitCode: 1 });
    assert.ok(typeof result === "object" && result !== null && "hint" in result);
    assert.equal(result.hint, "Set TEST_ANSWERS.");
  });
});

function pick(v: unknown): { code: unknown; exitCode: unknown } | undefined {
  if (typeof v !== "object" || v === null || !("code" in v) || !("exitCode" in v)) return undefined;
  return { code: v.code, exitCode: v.exitCode };
}
