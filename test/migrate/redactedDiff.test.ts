import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactedDiff, redactLine } from "../../src/migrate/redactedDiff.ts";

const labels = { before: "a", after: "a" };

void describe("redactLine", () => {
  it("hides secrets entirely and shows key ids as their last four", () => {
    assert.equal(redactLine("aws_secret_access_key = abc/def"), "aws_secret_access_key = ****");
    assert.equal(redactLine("  aws_session_token=tok"), "  aws_session_token= ****");
    assert.equal(redactLine("external_id = shh"), "external_id = ****");
    assert.equal(
      redactLine("aws_access_key_id = AKIAFAKEALICE0000001 ; note"),
      "aws_access_key_id = ****0001",
    );
    assert.equal(redactLine("#aws_secret_access_key = old"), "#aws_secret_access_key = ****");
    assert.equal(redactLine("region = eu-west-1"), "region = eu-west-1");
    assert.equal(redactLine("[profile x]"), "[profile x]");
  });
});

void describe("redactedDiff", () => {
  it("is empty for equal texts", () => {
    assert.equal(redactedDiff("x = 1\n", "x = 1\n", labels), "");
  });
  it("groups nearby changes into one hunk and keeps far ones apart", () => {
    const before = [
      "[a]",
      "k = 1",
      "x = 1",
      "c1",
      "c2",
      "c3",
      "c4",
      "c5",
      "c6",
      "[b]",
      "y = 2",
      "",
    ].join("\n");
    const after = [
      "[a]",
      "k = 1",
      "c1",
      "c2",
      "c3",
      "c4",
      "c5",
      "c6",
      "[b]",
      "y = 2",
      "z = 3",
      "",
    ].join("\n");
    assert.equal(
      redactedDiff(before, after, labels),
      [
        "--- a",
        "+++ a",
        "@@ -1,5 +1,4 @@",
        " [a]",
        " k = 1",
        "-x = 1",
        " c1",
        " c2",
        "@@ -10,2 +9,3 @@",
        " [b]",
        " y = 2",
        "+z = 3",
        "",
      ].join("\n"),
    );
  });
  it("marks a missing final newline and ignores CRLF in what it shows", () => {
    const out = redactedDiff("[a]\r\nx = 1\r\ny = 2", "[a]\r\ny = 2", labels);
    assert.equal(
      out,
      [
        "--- a",
        "+++ a",
        "@@ -1,3 +1,2 @@",
        " [a]",
        "-x = 1",
        " y = 2",
        "\\ No newline at end of file",
        "",
      ].join("\n"),
    );
  });
});
