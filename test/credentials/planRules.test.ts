/**
 * The plan's hop rules one at a time: each is a pure function of the plan
 * so far, so it can be asked directly whether it applies to a hop.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { directMfaRoleHop } from "../../src/credentials/plan/directMfaRoleHop.ts";
import { mfaOnlyHop } from "../../src/credentials/plan/mfaOnlyHop.ts";
import { profileWithoutHop } from "../../src/credentials/plan/profileWithoutHop.ts";
import { sessionRoleHop } from "../../src/credentials/plan/sessionRoleHop.ts";
import { initialState, type Hop, type PlanInputs } from "../../src/credentials/plan/PlanState.ts";
import { prof } from "./helpers.ts";

const source = { kind: "stored-keys", profile: "alice" } as const;

const inputs = (noSession = false): PlanInputs => ({
  chain: [prof("admin"), prof("alice")],
  base: 1,
  source,
  req: { profile: "admin", ...(noSession ? { noSession } : {}) },
  env: { USER: "tester" },
  flag: undefined,
  sessionEnv: undefined,
  chainedSessionEnv: undefined,
  roleEnv: undefined,
});
const device = {
  serial: "arn:aws:iam::111111111111:mfa/alice",
  profile: "admin",
  mfaProcess: undefined,
};
const roleHop = (own = device): Hop => ({
  profile: prof("admin", { roleArn: "arn:aws:iam::222222222222:role/admin" }),
  index: 0,
  own,
  role: { arn: "arn:aws:iam::222222222222:role/admin", duration: { seconds: 3600, from: "test" } },
});

test("a profile with neither role_arn nor mfa_serial adds nothing; the others are not its", () => {
  const s = initialState(source, []);
  const plain: Hop = { profile: prof("alice"), index: 1, own: undefined, role: undefined };
  assert.equal(profileWithoutHop(s, inputs(), plain), s);
  assert.equal(profileWithoutHop(s, inputs(), roleHop()), undefined);
});

test("mfa_serial without role_arn waits as the pending device", () => {
  const hop: Hop = { profile: prof("alice-mfa"), index: 1, own: device, role: undefined };
  const next = mfaOnlyHop(initialState(source, []), inputs(), hop);
  assert.equal(next?.pending, device);
  assert.equal(next.steps.length, 0);
});

test("a role over long-term keys with a device: direct AssumeRole only with --no-session, else one session first", () => {
  const s = initialState(source, []);
  assert.equal(directMfaRoleHop(s, inputs(), roleHop()), undefined);
  const direct = directMfaRoleHop(s, inputs(true), roleHop());
  assert.deepEqual(
    direct?.steps.map((x) => [x.kind, x.mfa?.serial]),
    [["role", device.serial]],
  );
  const viaSession = sessionRoleHop(s, inputs(), roleHop());
  assert.deepEqual(
    viaSession?.steps.map((x) => [x.kind, x.mfa?.serial]),
    [
      ["session", device.serial],
      ["role", undefined],
    ],
  );
});
