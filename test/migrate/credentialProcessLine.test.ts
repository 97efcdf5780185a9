import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { splitCommandLine } from "../../src/credentials/commandLine.ts";
import { callsAwsmfaFor, credentialProcessLine } from "../../src/migrate/credentialProcessLine.ts";

void describe("credentialProcessLine", () => {
  it("is the documented line, and awsmfa recognises it as a call to itself", () => {
    const line = credentialProcessLine("dev");
    assert.equal(line, "awsmfa export --no-session --format credential-process dev");
    assert.ok(callsAwsmfaFor(line, "dev"));
    assert.ok(!callsAwsmfaFor(line, "prod"));
    assert.ok(!callsAwsmfaFor("/usr/bin/other dev", "dev"));
  });
  it("quotes what needs it so a shell and shlex read the same words", () => {
    const line = credentialProcessLine("team@corp", ["--file-dir", "/home/a b/.awsmfa"]);
    assert.equal(
      line,
      "awsmfa --file-dir '/home/a b/.awsmfa' export --no-session --format credential-process team@corp",
    );
    assert.deepEqual(splitCommandLine(line), {
      kind: "argv",
      argv: [
        "awsmfa",
        "--file-dir",
        "/home/a b/.awsmfa",
        "export",
        "--no-session",
        "--format",
        "credential-process",
        "team@corp",
      ],
    });
    assert.ok(callsAwsmfaFor(line, "team@corp"));
    assert.throws(() => credentialProcessLine("x", ["--file-dir", "/it's"]), {
      code: "E_MIGRATE_UNQUOTABLE",
    });
  });
});
