/**
 * `clear caktus-mfa` clears what that profile uses: the MFA session cached
 * under its source (caktus) and the roles assumed through it (regression:
 * the shared session was left behind because it is not named after caktus-mfa).
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

async function cached(): Promise<string[]> {
  const r = await w.sb.run(["list", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const profiles: unknown = Reflect.get(Object(JSON.parse(r.stdout)), "profiles");
  assert.ok(Array.isArray(profiles));
  return profiles.flatMap((p: unknown) => {
    const sessions: unknown = Reflect.get(Object(p), "sessions");
    const name = String(Reflect.get(Object(p), "name"));
    return Array.isArray(sessions)
      ? sessions.map((s: unknown) => `${name}:${String(Reflect.get(Object(s), "type"))}`)
      : [];
  });
}

test("clear <*-mfa profile> removes the MFA session shared under its source and the roles through it", async () => {
  const r = await w.sb.run(["export", "admin", "-t", w.code()]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await cached()).sort(), ["admin:role", "caktus:session"]);

  const c = await w.sb.run(["clear", "caktus-mfa"]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stderr, /Removed 2 cached sessions of profile 'caktus-mfa'/);
  assert.deepEqual(await cached(), []);
});

test("clear <role profile> removes only that role", async () => {
  const r = await w.sb.run(["export", "admin", "-t", w.code()]);
  assert.equal(r.code, 0, r.stderr);
  const c = await w.sb.run(["clear", "admin"]);
  assert.equal(c.code, 0, c.stderr);
  assert.deepEqual(await cached(), ["caktus:session"]);
});
