/**
 * `list` needs no secret: a store it cannot unlock still lists profiles and
 * cached sessions, exits 0 and says why expiry is missing — the same
 * whether or not a session is cached (regression: with a cached session and
 * a wrong passphrase it used to exit 1, without one it exited 0).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { seed000Config, startWorld, type World } from "./helpers.ts";

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(seed000Config());
  await w.addAlice("caktus");
});
after(() => w.stop());

test("list with a wrong passphrase still lists, with and without cached sessions", async () => {
  const wrong = { AWSMFA_FILE_PASSPHRASE: "not the passphrase" };
  const cold = await w.sb.run(["list", "--json"], { env: wrong });
  assert.equal(cold.code, 0, cold.stderr);

  const warm = await w.sb.run(["export", "admin", "-t", w.code()]);
  assert.equal(warm.code, 0, warm.stderr);

  const r = await w.sb.run(["list", "--json"], { env: wrong });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /session expiry not shown: .*passphrase/i);
  const listed: unknown = JSON.parse(r.stdout);
  const profiles: unknown = Reflect.get(Object(listed), "profiles");
  assert.ok(Array.isArray(profiles));
  const admin: unknown = profiles.find((p: unknown) => Reflect.get(Object(p), "name") === "admin");
  const sessions: unknown = Reflect.get(Object(admin), "sessions");
  assert.ok(Array.isArray(sessions) && sessions.length > 0, r.stdout);
  for (const s of sessions) assert.equal(Reflect.get(Object(s), "expiration"), null);
});
