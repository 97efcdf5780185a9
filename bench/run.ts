/**
 * `npm run bench`: the cost of a cached `credential_process` call, as ratios
 * against bare Node start-up measured in the same run (interleaved, medians).
 *
 * Lines printed:
 * - node -e 0: the baseline.
 * - awsmfa --version: our bundle's start-up alone.
 * - cached export, file backend: the full hot path, including the file
 *   store's passphrase KDF (scrypt, the real default parameters).
 * - node + scrypt KDF: node start-up plus one derivation with the file
 *   store's parameters; its difference to node -e 0 is what the file
 *   backend pays per process to unlock, reported on its own line and
 *   subtracted for the hot-path ratio.
 * - cached export, keyutils backend (kernel keyring, no KDF), where keyctl works
 *   (in a fresh session keyring when the shell has none of its own).
 * - aws configure export-credentials (AWS CLI v2), where installed.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeAws } from "../fake-aws/server.ts";
import { DEFAULT_SCRYPT } from "../src/store/file/crypto.ts";
import { measureInterleaved, type Subject } from "./measure.ts";

// keyutils keeps a key readable only for processes that possess it through
// their session keyring. A shell without one of its own (no PAM login: CI,
// containers) cannot measure it, so the bench re-runs itself once inside a
// fresh session keyring, as a login session would have.
const ownSession = spawnSync("keyctl", ["rdescribe", "@s"], { encoding: "utf8" });
if (
  ownSession.status === 0 &&
  /;_uid_ses\.\d+$/.test(ownSession.stdout.trim()) &&
  process.env.AWSMFA_BENCH_IN_KEYCTL_SESSION === undefined
) {
  const again = spawnSync(
    "keyctl",
    ["session", "-", process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: "inherit",
      env: { ...process.env, AWSMFA_BENCH_IN_KEYCTL_SESSION: "1" },
    },
  );
  process.exit(again.status ?? 1);
}

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "dist", "awsmfa.js");
const rounds = Number(process.env.BENCH_ROUNDS ?? "15");
const serial = "arn:aws:iam::111111111111:mfa/alice";

const aws = await startFakeAws({ world: join(root, "fake-aws", "worlds", "example.json") });
const home = await mkdtemp(join(tmpdir(), "awsmfa-bench-"));
const cleanups: (() => Promise<unknown>)[] = [];
try {
  await mkdir(join(home, ".aws"), { mode: 0o700 });
  await writeFile(
    join(home, ".aws", "config"),
    `[profile alice]
mfa_serial = ${serial}
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = alice
region = us-east-1

[profile static]
region = us-east-1
`,
  );
  await writeFile(
    join(home, ".aws", "credentials"),
    "[static]\naws_access_key_id = AKIAFAKEALICE0000001\naws_secret_access_key = fake/alice/secret/key/not/real/000000001\n",
    { mode: 0o600 },
  );
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(AWS|AWSMFA)/.test(k)) base[k] = v;
  }
  Object.assign(base, {
    HOME: home,
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_EC2_METADATA_DISABLED: "true",
  });
  const fileEnv = { ...base, AWSMFA_BACKEND: "file", AWSMFA_FILE_PASSPHRASE: "bench" };
  const keys = {
    AWS_ACCESS_KEY_ID: "AKIAFAKEALICE0000001",
    AWS_SECRET_ACCESS_KEY: "fake/alice/secret/key/not/real/000000001",
  };

  // Async: fake-aws answers from this process, so its event loop must run.
  const awsmfa = async (args: string[], env: Record<string, string>) => {
    const r = await promisify(execFile)(process.execPath, [bin, ...args], {
      env,
      encoding: "utf8",
    });
    return r.stdout;
  };
  // Warm the cache: keys stored, one MFA session and the role, cached.
  await awsmfa(["add", "alice", "--env"], { ...fileEnv, ...keys });
  await awsmfa(
    ["export", "--format", "credential-process", "admin", "-t", aws.freshTotp(serial)],
    fileEnv,
  );

  const exportArgs = [bin, "export", "--format", "credential-process", "admin"];
  const subjects: Subject[] = [
    { label: "node -e 0", command: process.execPath, args: ["-e", "0"], env: fileEnv },
    {
      label: "awsmfa --version",
      command: process.execPath,
      args: [bin, "--version"],
      env: fileEnv,
    },
    { label: "cached export (file)", command: process.execPath, args: exportArgs, env: fileEnv },
  ];

  // keyutils: the same hot path without a KDF, in a fresh session keyring.
  const keyctl = spawnSync("keyctl", ["show", "@s"], { encoding: "utf8" });
  let keyutilsNote = "";
  if (keyctl.status === 0) {
    const kuEnv = { ...base, AWSMFA_BACKEND: "keyutils" };
    try {
      await awsmfa(["add", "alice", "--env", "--force"], { ...kuEnv, ...keys });
      await awsmfa(
        ["export", "--format", "credential-process", "admin", "-t", aws.freshTotp(serial)],
        kuEnv,
      );
      cleanups.push(() => awsmfa(["remove", "alice", "--force"], kuEnv));
      subjects.push({
        label: "cached export (keyutils)",
        command: process.execPath,
        args: exportArgs,
        env: kuEnv,
      });
    } catch (e) {
      keyutilsNote = `keyutils: not measured (${e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e)})`;
    }
  } else {
    keyutilsNote = "keyutils: not measured (keyctl is not installed or has no session keyring)";
  }

  const v2 = "/usr/bin/aws";
  if (existsSync(v2)) {
    subjects.push({
      label: "aws configure export-credentials (CLI v2)",
      command: v2,
      args: ["configure", "export-credentials", "--profile", "static"],
      env: base,
    });
  }

  // Node start-up plus one scrypt derivation with the file store's default
  // parameters, as a process of its own: the KDF's cost is its difference
  // to `node -e 0`, measured under the same load as everything else.
  const { N, r, p } = DEFAULT_SCRYPT;
  subjects.splice(1, 0, {
    label: "node + scrypt KDF",
    command: process.execPath,
    args: [
      "-e",
      `require("crypto").scrypt("bench", Buffer.alloc(16), 32, { N: ${N}, r: ${r}, p: ${p}, maxmem: 256 * 1024 * 1024 }, (e) => { if (e) throw e; })`,
    ],
    env: fileEnv,
  });

  const results = measureInterleaved(subjects, rounds);
  const nodeMs = results.get("node -e 0") ?? NaN;
  const line = (label: string, ms: number, extra = "") =>
    `${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / nodeMs).toFixed(2).padStart(5)}x node${extra}`;
  const out: string[] = [
    `awsmfa bench: medians of ${rounds} interleaved runs each (ratios against node -e 0, same run)`,
  ];
  for (const [label, ms] of results) out.push(line(label, ms));
  const kdfMs = (results.get("node + scrypt KDF") ?? NaN) - nodeMs;
  out.push(`${"scrypt KDF (node + KDF minus node)".padEnd(44)} ${kdfMs.toFixed(1).padStart(8)} ms`);
  const fileMs = results.get("cached export (file)") ?? NaN;
  out.push(line("cached export (file) minus the KDF", fileMs - kdfMs, "   <- target: within 1.5x"));
  if (keyutilsNote !== "") out.push(keyutilsNote);
  if (!existsSync(v2))
    out.push(
      "aws configure export-credentials: not measured (/usr/bin/aws, Debian's awscli v2, is not installed)",
    );
  console.log(out.join("\n"));
} finally {
  for (const c of cleanups) await c();
  await aws.stop();
  await rm(home, { recursive: true, force: true });
}
