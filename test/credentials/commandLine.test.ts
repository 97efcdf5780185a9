import { test } from "node:test";
import assert from "node:assert/strict";
import { splitCommandLine } from "../../src/credentials/commandLine.ts";

const argv = (line: string) => {
  const r = splitCommandLine(line);
  if (r.kind !== "argv") assert.fail(`expected argv for ${line}, got shell: ${r.reason}`);
  return r.argv;
};

test("words, quotes and escapes split like a shell", () => {
  assert.deepEqual(argv("awsmfa export --no-session caktus"), [
    "awsmfa",
    "export",
    "--no-session",
    "caktus",
  ]);
  assert.deepEqual(argv("  a   b\tc  "), ["a", "b", "c"]);
  assert.deepEqual(argv(`ykman oath accounts code -s 'AWS alice'`), [
    "ykman",
    "oath",
    "accounts",
    "code",
    "-s",
    "AWS alice",
  ]);
  assert.deepEqual(argv(`"/opt/my tools/bin" "say \\"hi\\"" x\\ y`), [
    "/opt/my tools/bin",
    'say "hi"',
    "x y",
  ]);
  assert.deepEqual(argv(`a '' ""`), ["a", "", ""]);
  assert.deepEqual(argv(`pre'mid'"end"`), ["premidend"]);
  assert.deepEqual(argv(""), []);
});

test("shell syntax falls back to a shell", () => {
  for (const line of [
    "op read x | tr -d x",
    "cmd > out",
    "echo $HOME",
    'echo "$HOME"',
    "FOO=bar cmd",
    "a; b",
    "a && b",
    "ls *.txt",
    "echo 'unterminated",
    "x `y`",
  ]) {
    assert.equal(splitCommandLine(line).kind, "shell", line);
  }
  // '=' in a later word is just a character
  assert.deepEqual(argv("cmd --opt=value"), ["cmd", "--opt=value"]);
  // quoted shell characters are literal
  assert.deepEqual(argv("echo '$HOME | x'"), ["echo", "$HOME | x"]);
});
