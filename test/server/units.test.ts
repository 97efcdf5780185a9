/**
 * The server's pieces on their own: the refresher on a fixed clock, the
 * token compare, the Host/loopback rules and the IMDSv2 token store.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  REFRESH_MARGIN_MS,
  RETRY_AFTER_FAILURE_MS,
  refreshingCredentials,
} from "../../src/server/refreshingCredentials.ts";
import type { ServedCredentials } from "../../src/server/servedCredentials.ts";
import { newServerToken } from "../../src/server/token.ts";
import { hostAllowed, isLoopbackAddress } from "../../src/server/requestGuard.ts";
import { imdsTokens } from "../../src/server/imdsTokens.ts";
import { isRoleArn } from "../../src/server/roleCredentials.ts";
import { fixedClock } from "../helpers/fixedClock.ts";

const HOUR = 3_600_000;

function fetcher(clock: { now(): number }, lifetimeMs = HOUR) {
  let n = 0;
  const fetch = (): Promise<ServedCredentials> => {
    n++;
    return Promise.resolve({
      accessKeyId: `ASIA${String(n).padStart(16, "0")}`,
      secretAccessKey: "s",
      sessionToken: "t",
      expiration: new Date(clock.now() + lifetimeMs),
    });
  };
  return { fetch, count: () => n };
}

test("refresher: one fetch for many requests; a new one once the margin is reached", async () => {
  const clock = fixedClock(1_000_000);
  const f = fetcher(clock);
  const warnings: string[] = [];
  const src = refreshingCredentials({ clock, fetch: f.fetch, warn: (m) => warnings.push(m) });
  const first = await Promise.all([src.get(), src.get(), src.get()]);
  assert.equal(f.count(), 1, "concurrent first requests share one fetch");
  assert.ok(first.every((c) => c === first[0]));
  clock.advance(HOUR - REFRESH_MARGIN_MS - 1);
  assert.equal((await src.get()).accessKeyId, first[0].accessKeyId);
  assert.equal(f.count(), 1);
  clock.advance(1);
  // Still 5 minutes left: served at once while the new ones are fetched.
  assert.equal((await src.get()).accessKeyId, first[0].accessKeyId);
  const next = await src.get();
  assert.equal(f.count(), 2);
  assert.notEqual(next.accessKeyId, first[0].accessKeyId);
  assert.deepEqual(warnings, []);
});

test("refresher: short-lived credentials are refreshed at half their life, not on every request", async () => {
  const clock = fixedClock(0);
  const f = fetcher(clock, 40_000);
  const src = refreshingCredentials({ clock, fetch: f.fetch, warn: () => undefined });
  await src.get();
  clock.advance(19_999);
  await src.get();
  assert.equal(f.count(), 1);
  clock.advance(1);
  await src.get();
  assert.equal(f.count(), 2);
});

test("refresher: a failed refresh waits before the next try and keeps serving valid credentials", async () => {
  const clock = fixedClock(0);
  const f = fetcher(clock);
  let fail = false;
  const warnings: string[] = [];
  const src = refreshingCredentials({
    clock,
    fetch: () => (fail ? Promise.reject(new Error("STS down")) : f.fetch()),
    warn: (m) => warnings.push(m),
  });
  const old = await src.get();
  fail = true;
  clock.advance(HOUR - 2 * 60_000);
  assert.equal(await src.get(), old, "served while the refresh fails in the background");
  await new Promise((r) => setImmediate(r));
  assert.match(warnings[0] ?? "", /STS down/);
  fail = false;
  assert.equal(await src.get(), old, "no new try right after a failure");
  assert.equal(f.count(), 1);
  clock.advance(RETRY_AFTER_FAILURE_MS);
  await src.get();
  await new Promise((r) => setImmediate(r));
  assert.equal(f.count(), 2);
});

test("refresher: credentials already expired when fetched are an error, not served", async () => {
  const clock = fixedClock(0);
  const src = refreshingCredentials({
    clock,
    fetch: () =>
      Promise.resolve({
        accessKeyId: "A",
        secretAccessKey: "s",
        sessionToken: "t",
        expiration: new Date(-1),
      }),
    warn: () => undefined,
  });
  await assert.rejects(src.get(), /expired/);
});

test("token: the exact token matches, with or without 'Bearer '; anything else does not", () => {
  const token = newServerToken(Buffer.alloc(32, 7));
  assert.ok(token.matches(token.value));
  assert.ok(token.matches(`Bearer ${token.value}`));
  assert.ok(!token.matches(undefined));
  assert.ok(!token.matches(""));
  assert.ok(!token.matches(token.value.slice(0, -1)));
  assert.ok(!token.matches(`${token.value}x`));
  assert.ok(!token.matches(token.value.toUpperCase()));
  assert.notEqual(newServerToken().value, newServerToken().value);
});

test("Host: loopback names with the server's port only; the IMDS alias when allowed", () => {
  assert.ok(hostAllowed("127.0.0.1:4567", 4567, []));
  assert.ok(hostAllowed("localhost:4567", 4567, []));
  assert.ok(hostAllowed("[::1]:4567", 4567, []));
  assert.ok(!hostAllowed("127.0.0.1:4568", 4567, []));
  assert.ok(!hostAllowed("evil.example:4567", 4567, []));
  assert.ok(!hostAllowed("127.0.0.1.nip.io:4567", 4567, []));
  assert.ok(!hostAllowed("", 4567, []));
  assert.ok(!hostAllowed("169.254.169.254", 4567, []));
  assert.ok(hostAllowed("169.254.169.254", 4567, ["169.254.169.254"]));
  assert.ok(isLoopbackAddress("127.0.0.1"));
  assert.ok(isLoopbackAddress("::ffff:127.0.0.1"));
  assert.ok(isLoopbackAddress("::1"));
  assert.ok(!isLoopbackAddress("10.0.0.1"));
  assert.ok(!isLoopbackAddress("::ffff:192.168.1.2"));
});

test("IMDSv2 tokens expire after their TTL on the clock", () => {
  const clock = fixedClock(0);
  const tokens = imdsTokens(clock);
  const t = tokens.issue(60);
  assert.ok(tokens.valid(t));
  assert.ok(!tokens.valid(undefined));
  assert.ok(!tokens.valid(`${t}x`));
  clock.advance(59_999);
  assert.ok(tokens.valid(t));
  clock.advance(1);
  assert.ok(!tokens.valid(t));
});

test("role ARNs: every partition, paths; nothing else", () => {
  assert.ok(isRoleArn("arn:aws:iam::111111111111:role/admin"));
  assert.ok(isRoleArn("arn:aws-cn:iam::111111111111:role/path/to/x"));
  assert.ok(isRoleArn("arn:aws-us-gov:iam::111111111111:role/a+b=c,d.e@f-g_h"));
  assert.ok(!isRoleArn("arn:aws:iam::111111111111:user/alice"));
  assert.ok(!isRoleArn("arn:aws:iam::1111:role/admin"));
  assert.ok(!isRoleArn("arn:aws:iam::111111111111:role/"));
  assert.ok(!isRoleArn("arn:aws:iam::111111111111:role/a b"));
});
