// Wire-format cross-check: the same calls sent to moto's server and to
// fake-aws parse into the same shapes in the SDK v3 (field names and value
// types; the values themselves differ).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
} from "@aws-sdk/client-iam";
import { startFakeAws } from "../../fake-aws/server.ts";
import { ADMIN_ROLE, ALICE, ALICE_MFA, EXAMPLE_WORLD, missingClient } from "./helpers.ts";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a !== null ? a.port : 0;
      s.close(() => {
        resolve(port);
      });
    });
    s.on("error", reject);
  });
}

/** The shape of a parsed SDK output: field names and value types, $metadata dropped. */
function shape(v: unknown): unknown {
  if (v instanceof Date) return "Date";
  if (v instanceof Uint8Array) return "bytes";
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (k === "$metadata") continue;
      const value: unknown = Reflect.get(v, k);
      if (value !== undefined) out[k] = shape(value);
    }
    return out;
  }
  return typeof v;
}

/**
 * Fields AWS documents and sends that moto leaves out (so fake-aws keeps
 * them): IsTruncated on ListAccessKeys (AWS's own example response has it).
 */
function withoutMotoGaps(op: string, s: unknown): unknown {
  if (typeof s !== "object" || s === null || Array.isArray(s)) return s;
  const copy: Record<string, unknown> = { ...s };
  if (op === "ListAccessKeys") delete copy.IsTruncated;
  return copy;
}

test("moto and fake-aws answer STS and IAM calls in the same shapes", async (t) => {
  const why = await missingClient("python3", ["-c", "import moto.server"]);
  if (why !== undefined) {
    process.stderr.write(`!!! SKIPPED moto cross-check: moto not installed: ${why}\n`);
    t.skip(`moto not installed: ${why}`);
    return;
  }
  const port = await freePort();
  const moto = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
  });
  const fake = await startFakeAws({ world: EXAMPLE_WORLD });
  try {
    const motoUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        await fetch(`${motoUrl}/moto-api/`);
        break;
      } catch (e) {
        if (i > 200) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const cfg = (endpoint: string) => ({
      region: "us-east-1",
      endpoint,
      credentials: ALICE,
      maxAttempts: 1,
    });
    const run = async (endpoint: string, code: string) => {
      const sts = new STSClient(cfg(endpoint));
      const iam = new IAMClient(cfg(endpoint));
      if (endpoint === motoUrl) {
        // moto starts empty: give it Alice and her enabled device (it accepts any codes).
        await iam.send(new CreateUserCommand({ UserName: "alice" }));
        const d = await iam.send(
          new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "alice" }),
        );
        await iam.send(
          new EnableMFADeviceCommand({
            UserName: "alice",
            SerialNumber: d.VirtualMFADevice?.SerialNumber,
            AuthenticationCode1: "123456",
            AuthenticationCode2: "654321",
          }),
        );
      }
      const out = {
        GetCallerIdentity: await sts.send(new GetCallerIdentityCommand({})),
        GetSessionToken: await sts.send(
          new GetSessionTokenCommand({
            SerialNumber: ALICE_MFA,
            TokenCode: code,
            DurationSeconds: 900,
          }),
        ),
        AssumeRole: await sts.send(
          new AssumeRoleCommand({
            RoleArn: ADMIN_ROLE,
            RoleSessionName: "shape",
            SerialNumber: ALICE_MFA,
            TokenCode: fake.totp(ALICE_MFA, Date.now() + 30_000),
          }),
        ),
        GetFederationToken: await sts.send(new GetFederationTokenCommand({ Name: "shape-fed" })),
        GetUser: await iam.send(new GetUserCommand({ UserName: "alice" })),
        CreateAccessKey: await iam.send(new CreateAccessKeyCommand({ UserName: "alice" })),
        ListAccessKeys: await iam.send(new ListAccessKeysCommand({ UserName: "alice" })),
        CreateVirtualMFADevice: await iam.send(
          new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "shape" }),
        ),
        ListMFADevices: await iam.send(new ListMFADevicesCommand({ UserName: "alice" })),
      };
      sts.destroy();
      iam.destroy();
      return out;
    };
    const fromMoto = await run(motoUrl, "123456");
    const fromFake = await run(fake.url, fake.freshTotp(ALICE_MFA));
    const diffs: string[] = [];
    for (const op of Object.keys(fromFake) as (keyof typeof fromFake)[]) {
      const ours = shape(fromFake[op]);
      const theirs = shape(fromMoto[op]);
      try {
        assert.deepEqual(withoutMotoGaps(op, ours), theirs);
      } catch {
        diffs.push(`${op}: fake-aws ${JSON.stringify(ours)} vs moto ${JSON.stringify(theirs)}`);
      }
    }
    assert.deepEqual(diffs, []);
  } finally {
    moto.kill("SIGTERM");
    await fake.stop();
  }
});
