/**
 * `npm run demo`: awsmfa end to end on this machine, no AWS account needed.
 *
 * Starts fake-aws (a local STS/IAM with real SigV4 and TOTP) with its
 * example world, makes a throw-away HOME with the encrypted file store,
 * stores the demo user's keys, writes a config laid out like aws-vault users
 * have it (a base profile, a *-mfa profile, role profiles), and runs
 * `awsmfa exec` on a role profile with a real command. You type the MFA code
 * the demo prints (it is the virtual device's current code); `--yes` types
 * it for you, and so does a run without a terminal.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeAws } from "../fake-aws/server.ts";

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "dist", "awsmfa.cjs");
const serial = "arn:aws:iam::111111111111:mfa/alice";
const auto = process.argv.includes("--yes") || !process.stdin.isTTY;

const say = (text: string) => process.stderr.write(`\x1b[1m${text}\x1b[0m\n`);

function run(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((res, rej) => {
    process.stderr.write(`\n$ awsmfa ${args.join(" ")}\n`);
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: "inherit" });
    child.on("error", rej);
    child.on("exit", (code) => {
      res(code ?? 1);
    });
  });
}

if (!existsSync(bin)) {
  process.stderr.write("dist/awsmfa.cjs is missing: run 'npm run build' first.\n");
  process.exit(1);
}

const aws = await startFakeAws({ world: join(root, "fake-aws", "worlds", "example.json") });
const home = await mkdtemp(join(tmpdir(), "awsmfa-demo-"));
let exitCode: number;
try {
  await mkdir(join(home, ".aws"), { mode: 0o700 });
  // `awsmfa` on PATH, as after `npm install -g`, for the credential_process line.
  const binDir = join(home, "bin");
  await mkdir(binDir);
  await writeFile(join(binDir, "awsmfa"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  await chmod(join(binDir, "awsmfa"), 0o755);
  const config = `# A layout like aws-vault users have (seed 000), with awsmfa.
[profile caktus]
credential_process = awsmfa export --no-session --format credential-process caktus

[profile caktus-mfa]
mfa_serial = ${serial}
source_profile = caktus
region = us-east-1

[profile saguaro-cluster]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = caktus-mfa
region = us-east-1
`;
  await writeFile(join(home, ".aws", "config"), config, { mode: 0o600 });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("AWS")) env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    PATH: `${binDir}:${process.env.PATH ?? ""}`,
    AWSMFA_BACKEND: "file",
    AWSMFA_FILE_PASSPHRASE: "demo passphrase",
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_ENDPOINT_URL_IAM: aws.url,
    AWS_EC2_METADATA_DISABLED: "true",
  });

  say(`fake-aws is listening on ${aws.url}; HOME is ${home}`);
  say("1. Store the demo user's long-term keys (encrypted; here from the environment):");
  const alice = {
    AWS_ACCESS_KEY_ID: "AKIAFAKEALICE0000001",
    AWS_SECRET_ACCESS_KEY: "fake/alice/secret/key/not/real/000000001",
  };
  if ((await run(["add", "caktus", "--env"], { ...env, ...alice })) !== 0)
    throw new Error("add failed");

  say("\n2. The config (~/.aws/config):");
  process.stderr.write(config);

  say("\n3. Run a command as the role; awsmfa asks for the MFA code once:");
  const code = aws.freshTotp(serial);
  const haveAwsCli = await new Promise<boolean>((res) => {
    spawn("aws", ["--version"], { stdio: "ignore" })
      .on("error", () => {
        res(false);
      })
      .on("exit", (c) => {
        res(c === 0);
      });
  });
  const command = haveAwsCli
    ? ["aws", "sts", "get-caller-identity"]
    : [process.execPath, join(root, "scripts", "whoami.mjs")];
  const mfa: string[] = [];
  if (auto) {
    say(`(the virtual MFA device shows ${code}; typing it for you with --mfa-token)`);
    mfa.push("--mfa-token", code);
  } else {
    say(`The virtual MFA device for ${serial} shows: ${code}   <- type this at the prompt`);
  }
  exitCode = await run(["exec", "saguaro-cluster", ...mfa, "--", ...command], env);

  say("\n4. Again: the session is cached (encrypted), so no MFA prompt this time:");
  exitCode ||= await run(["exec", "saguaro-cluster", "--", ...command], env);

  say("\n5. What is stored and cached:");
  exitCode ||= await run(["list"], env);

  const calls = aws.calls().map((c) => `${c.action}${c.ok ? "" : ` (${c.errorCode ?? "error"})`}`);
  say(`\nfake-aws saw: ${calls.join(", ")}`);
} finally {
  await aws.stop();
  await rm(home, { recursive: true, force: true });
}
process.exitCode = exitCode;
