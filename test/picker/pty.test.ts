// The profile picker on a real terminal: type a filter and press Enter; press
// Esc or Ctrl-C (exit 130, nothing changed); most recently used comes first.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ALICE_MFA,
  READONLY_ROLE,
  field,
  snapshot,
  startWorld,
  type World,
} from "../cli/helpers.ts";
import { noPty, runOnPty } from "./pty.ts";

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(`[profile base]
region = eu-west-1

[profile ro]
region = us-east-2
role_arn = ${READONLY_ROLE}
source_profile = base

[profile ro-two]
role_arn = ${READONLY_ROLE}
source_profile = base

[profile alice]
mfa_serial = ${ALICE_MFA}
`);
  await w.addAlice("base");
});
after(() => w.stop());

const recent = async () => {
  try {
    const v: unknown = JSON.parse(await readFile(join(w.sb.fileDir, "recent.json"), "utf8"));
    return v;
  } catch {
    return undefined;
  }
};

describe("the picker on a terminal", () => {
  it("shows each profile's role, region and MFA device; a typed filter and Enter pick", async (t) => {
    if (noPty(t)) return;
    const r = await runOnPty(
      w.sb,
      ["export", "--format", "json"],
      [
        { expect: "4 of 4 profiles", send: "two" },
        { expect: "1 of 4 profiles", send: "\r" },
      ],
    );
    assert.equal(r.status, 0, r.transcript);
    assert.match(r.transcript, /Profile for awsmfa export \(type to filter/);
    assert.match(r.transcript, /base +keys +eu-west-1 +-/);
    assert.match(r.transcript, /ro +readonly @ 111111111111 +us-east-2/);
    assert.match(r.transcript, /alice +keys +- +mfa alice @ 111111111111/);
    assert.match(r.transcript, /> two/);
    const creds: unknown = JSON.parse(r.stdout);
    assert.match(String(field(creds, "AccessKeyId")), /^ASIA/);
    assert.deepEqual(field(await recent(), "profiles"), ["ro-two"]);
    // The picker erases itself and shows the cursor again.
    assert.ok(r.transcript.includes("\x1b[J\x1b[?25h"));
  });

  it("lists the most recently used first, with its live session; arrows move the selection", async (t) => {
    if (noPty(t)) return;
    const r = await runOnPty(
      w.sb,
      ["export", "--format", "json"],
      [
        { expect: "4 of 4 profiles", send: "\x1b[B" },
        { expect: "▸ base", send: "\r" },
      ],
    );
    assert.equal(r.status, 0, r.transcript);
    // ro-two comes first (used last), and shows its cached role session.
    assert.match(r.transcript, /▸ ro-two +readonly @ 111111111111 +- +- +session (59m|1h) left/);
    assert.match(String(field(JSON.parse(r.stdout), "AccessKeyId")), /^ASIA/);
    assert.deepEqual(field(await recent(), "profiles"), ["base", "ro-two"]);
  });

  for (const [key, name] of [
    ["\x1b", "Esc"],
    ["\x03", "Ctrl-C"],
  ] as const) {
    it(`${name} cancels with exit 130 and changes nothing`, async (t) => {
      if (noPty(t)) return;
      const before = await snapshot(w.sb.home);
      w.aws.clearCalls();
      const r = await runOnPty(w.sb, ["write"], [{ expect: "4 of 4 profiles", send: `ro${key}` }]);
      assert.equal(r.status, 130, r.transcript);
      assert.match(r.transcript, /awsmfa: Cancelled: no profile picked\.\r\n$/);
      assert.equal(r.stdout, "");
      assert.deepEqual(w.aws.calls(), []);
      const now = await snapshot(w.sb.home);
      // Only the pty driver's own stdout capture is new.
      for (const k of now.keys()) if (k.includes("pty-stdout-")) now.delete(k);
      for (const k of before.keys()) if (k.includes("pty-stdout-")) before.delete(k);
      assert.deepEqual(now, before);
    });
  }
});
