/**
 * `awsmfa exec` semantics from the outside: the child's exit code and
 * signals, the environment it gets (and what is removed from it), and a
 * nested exec that must use its own profile's credentials, not the ones it
 * inherited. Profiles here need no MFA code: a no-MFA role and plain keys.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { constants } from "node:os";
import { join } from "node:path";
import type { RunResult } from "../helpers/sandbox.ts";
import {
  ALICE,
  ALICE_ARN,
  READONLY_ROLE,
  callsOf,
  field,
  skipLoudly,
  startWorld,
  type World,
} from "./helpers.ts";
import { BIN, runProcess } from "../helpers/sandbox.ts";
import { drivePty } from "../helpers/pty.ts";
import { noPty } from "../picker/pty.ts";

let w: World;

const CONFIG = `[profile base]

[profile ro]
role_arn = ${READONLY_ROLE}
source_profile = base
region = eu-west-2
`;

const PASSPHRASE = "correct horse battery staple";
const DUMP_ENV = [process.execPath, "-e", "process.stdout.write(JSON.stringify(process.env))"];

before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(CONFIG);
  await w.addAlice("base");
});
after(async () => {
  await w.stop();
});

function envOf(r: RunResult): Record<string, string> {
  assert.equal(r.code, 0, r.stderr);
  const v: unknown = JSON.parse(r.stdout);
  assert.ok(typeof v === "object" && v !== null);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

test("the child's exit code is exec's exit code", async () => {
  const seven = await w.sb.run(["exec", "ro", "--", "sh", "-c", "exit 7"]);
  assert.equal(seven.code, 7, seven.stderr);
  assert.equal(seven.stderr, "", "nothing said on a cached, successful run");
  const zero = await w.sb.run(["exec", "ro", "--", "true"]);
  assert.equal(zero.code, 0, zero.stderr);
});

test("a child killed by a signal: 128 + the signal's number", async () => {
  const term = await w.sb.run(["exec", "ro", "--", "sh", "-c", "kill -TERM $$"]);
  assert.equal(term.code, 128 + constants.signals.SIGTERM);
  const kill = await w.sb.run(["exec", "ro", "--", "sh", "-c", "kill -KILL $$"]);
  assert.equal(kill.code, 128 + constants.signals.SIGKILL);
});

test("a command that does not exist: 127 and a message naming it", async () => {
  const r = await w.sb.run(["exec", "ro", "--", "no-such-command-awsmfa-test"]);
  assert.equal(r.code, 127);
  assert.match(r.stderr, /no-such-command-awsmfa-test/);
});

test("the child's environment: our credentials, region and profile; inherited selectors and credentials removed", async () => {
  const inherited = {
    AWS_PROFILE: "base",
    AWS_DEFAULT_PROFILE: "base",
    AWS_SECURITY_TOKEN: "stale-security-token",
    AWS_ACCESS_KEY_ID: "AKIAINHERITED0000001",
    AWS_SECRET_ACCESS_KEY: "inherited/secret/inherited/secret/000001",
    AWS_SESSION_TOKEN: "stale-session-token",
    AWS_CREDENTIAL_EXPIRATION: "2000-01-01T00:00:00Z",
    AWS_REGION: "us-west-1",
    AWS_DEFAULT_REGION: "us-west-1",
    UNRELATED_VARIABLE: "kept as is",
  };
  const r = await w.sb.run(["exec", "ro", "--", ...DUMP_ENV], { env: inherited });
  const env = envOf(r);
  for (const gone of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"]) {
    assert.equal(env[gone], undefined, `${gone} is removed`);
  }
  assert.match(env.AWS_ACCESS_KEY_ID ?? "", /^ASIA[A-Z0-9]{16}$/);
  assert.ok((env.AWS_SECRET_ACCESS_KEY ?? "").length >= 40);
  assert.ok((env.AWS_SESSION_TOKEN ?? "").length > 20);
  assert.notEqual(env.AWS_SESSION_TOKEN, inherited.AWS_SESSION_TOKEN);
  const expiration = Date.parse(env.AWS_CREDENTIAL_EXPIRATION ?? "");
  assert.ok(
    expiration > Date.now(),
    `expiration in the future: ${String(env.AWS_CREDENTIAL_EXPIRATION)}`,
  );
  assert.equal(env.AWS_REGION, "eu-west-2", "the profile's region");
  assert.equal(env.AWS_DEFAULT_REGION, "eu-west-2");
  assert.equal(env.AWSMFA_PROFILE, "ro");
  assert.equal(env.UNRELATED_VARIABLE, "kept as is");

  // The same credentials `export` hands out from the cache.
  const exp = await w.sb.run(["export", "ro", "--format", "json"]);
  assert.equal(exp.code, 0, exp.stderr);
  const json: unknown = JSON.parse(exp.stdout);
  assert.equal(field(json, "AccessKeyId"), env.AWS_ACCESS_KEY_ID);
  assert.equal(field(json, "SessionToken"), env.AWS_SESSION_TOKEN);
  assert.equal(field(json, "Region"), "eu-west-2");
});

test("--region sets AWS_REGION and AWS_DEFAULT_REGION; AWS_PROFILE picks the profile and is removed", async () => {
  const r = await w.sb.run(["exec", "--region", "ap-south-1", "--", ...DUMP_ENV], {
    env: { AWS_PROFILE: "ro" },
  });
  const env = envOf(r);
  assert.equal(env.AWS_REGION, "ap-south-1");
  assert.equal(env.AWS_DEFAULT_REGION, "ap-south-1");
  assert.equal(env.AWSMFA_PROFILE, "ro");
  assert.equal(env.AWS_PROFILE, undefined);
});

test("no command: $SHELL starts with the credentials and its exit code is exec's", async () => {
  const r = await w.sb.run(["exec", "ro"], {
    env: { SHELL: "/bin/sh" },
    input: 'echo "profile=$AWSMFA_PROFILE key=${AWS_ACCESS_KEY_ID%????????????????}"\nexit 5\n',
  });
  assert.equal(r.code, 5, r.stderr);
  assert.equal(r.stdout, "profile=ro key=ASIA\n");
  assert.match(r.stderr, /ro/, "says which profile the shell has");
});

test("regression (#9 item 13): the exec child does not get the file store passphrase", async () => {
  const r = await w.sb.run(["exec", "ro", "--", ...DUMP_ENV], {
    env: { AWS_VAULT_FILE_PASSPHRASE: "aws-vault passphrase" },
  });
  const env = envOf(r);
  assert.equal(env.AWSMFA_PROFILE, "ro", "the command ran with our credentials");
  assert.equal(w.sb.env.AWSMFA_FILE_PASSPHRASE !== undefined, true, "awsmfa itself had it");
  assert.equal(env.AWSMFA_FILE_PASSPHRASE, undefined);
  assert.equal(env.AWS_VAULT_FILE_PASSPHRASE, undefined);
});

test("regression (#9 item 13): a nested exec, without the passphrase in its environment, asks for it on the terminal and works", async (t) => {
  if (noPty(t)) return;
  const outFile = join(w.sb.home, "nested-exec.out");
  const { transcript, status } = await drivePty({
    argv: [
      process.execPath,
      BIN,
      "exec",
      "ro",
      "--",
      "awsmfa",
      "exec",
      "base",
      "--",
      "sh",
      "-c",
      `printf "%s %s" "$AWSMFA_PROFILE" "\${AWSMFA_FILE_PASSPHRASE:-none}" > ${outFile}`,
    ],
    env: w.sb.env,
    steps: [{ expect: "Passphrase for the awsmfa file store", send: `${PASSPHRASE}\r` }],
  });
  assert.equal(status, 0, transcript);
  assert.equal(await readFile(outFile, "utf8"), "base none");
});

test("nested exec: the inner profile's credentials are used, not the inherited ones", async (t) => {
  const probe = await runProcess("aws", ["--version"], w.sb.env).catch(() => undefined);
  if (probe?.code !== 0) {
    skipLoudly(t, "AWS CLI v1 ('aws' on PATH) not usable");
    return;
  }
  // Outer: the readonly role. Inner: base (alice's own keys, via a session).
  const outer = envOf(await w.sb.run(["exec", "ro", "--", ...DUMP_ENV]));
  w.aws.clearCalls();
  // The inner awsmfa gets no passphrase from the outer one (#9 item 13);
  // with no terminal here, the command gives it back explicitly.
  const r = await w.sb.run([
    "exec",
    "ro",
    "--",
    "sh",
    "-c",
    `AWSMFA_FILE_PASSPHRASE='${PASSPHRASE}' awsmfa exec base -- sh -c 'printf "%s %s\\n" "$AWSMFA_PROFILE" "$AWS_ACCESS_KEY_ID"; aws sts get-caller-identity'`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const [first, ...rest] = r.stdout.split("\n");
  const [profile, keyId] = (first ?? "").split(" ");
  assert.equal(profile, "base");
  assert.notEqual(keyId, outer.AWS_ACCESS_KEY_ID, "not the outer role's key");
  assert.notEqual(keyId, ALICE.accessKeyId, "a session, not the stored long-term key");
  assert.equal(
    field(JSON.parse(rest.join("\n")), "Arn"),
    ALICE_ARN,
    "base's identity, not the role's",
  );
  const gci = callsOf(w.aws, "GetCallerIdentity");
  assert.equal(gci.length, 1);
  assert.equal(gci[0]?.callerArn, ALICE_ARN);
  // The inner awsmfa signed nothing with the outer role's credentials.
  for (const c of w.aws.calls()) {
    assert.ok(
      !(c.callerArn ?? "").includes("assumed-role/readonly"),
      `${c.action} by ${String(c.callerArn)}`,
    );
  }
});

test("a signal sent to awsmfa alone is passed on to the child, and the child's exit code comes back", async () => {
  const child = spawn(
    process.execPath,
    [
      BIN,
      "exec",
      "ro",
      "--",
      "sh",
      "-c",
      'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.1; done',
    ],
    { env: w.sb.env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const ready = new Promise<void>((resolve) => {
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (stdout.includes("ready")) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      resolve(code);
    }),
  );
  try {
    await Promise.race([ready, exited]);
    assert.match(stdout, /ready/, stderr);
    // Only awsmfa's pid: the child is not in the signal's way unless we forward it.
    child.kill("SIGTERM");
    assert.equal(await exited, 42, stderr);
    assert.match(stdout, /got-term/);
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  }
});
