/**
 * regression (#9 item 4): `exec -d 12h` handed back a cached 1h session, and
 * `-t CODE` was silently ignored when a session was cached or the profile
 * has no mfa_serial. Through the built bin against fake-aws.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ALICE_MFA, callsOf, startWorld, type World } from "./helpers.ts";

let w: World;

before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(
    `[profile base]\n\n[profile alice]\nmfa_serial = ${ALICE_MFA}\nsource_profile = base\n`,
  );
  await w.addAlice("base");
});
after(async () => {
  await w.stop();
});

const EXPIRY = [
  process.execPath,
  "-e",
  "process.stdout.write(process.env.AWS_CREDENTIAL_EXPIRATION)",
];
const hoursLeft = (stdout: string) => (Date.parse(stdout) - Date.now()) / 3_600_000;

test("regression (#9 item 4): exec -d 12h after a cached 1h session gets a 12h session", async () => {
  const first = await w.sb.run(["exec", "alice", "-t", w.code(), "--", ...EXPIRY]);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(hoursLeft(first.stdout) <= 1, first.stdout);
  const long = await w.sb.run(["exec", "alice", "-d", "12h", "-t", w.code(), "--", ...EXPIRY]);
  assert.equal(long.code, 0, long.stderr);
  assert.equal(long.stderr, "");
  assert.ok(hoursLeft(long.stdout) > 11, `12h asked, got until ${long.stdout}`);
  const gst = callsOf(w.aws, "GetSessionToken");
  assert.deepEqual(
    gst.map((c) => c.durationSeconds),
    [3600, 43200],
  );
});

test("regression (#9 item 4): -t with a cached session is reported on stderr, the code not spent", async () => {
  const before = callsOf(w.aws, "GetSessionToken").length;
  const r = await w.sb.run(["exec", "alice", "-t", w.code(), "--", "true"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^awsmfa: warning: --mfa-token was not needed: the cached session for base\/.* is still good\. The code was not sent, so it is not spent\.\n$/,
  );
  assert.equal(callsOf(w.aws, "GetSessionToken").length, before);
});

test("regression (#9 item 4): -t for a profile without mfa_serial is refused, nothing sent", async () => {
  const calls = w.aws.calls().length;
  const r = await w.sb.run(["exec", "base", "-t", "123456", "--", "true"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--mfa-token was given, but profile base uses no MFA device/);
  assert.match(r.stderr, /Add mfa_serial to profile base/);
  assert.equal(w.aws.calls().length, calls);
});
