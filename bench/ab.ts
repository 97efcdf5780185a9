/**
 * `tsx bench/ab.ts DIR_A DIR_B`: compares two builds of the cached
 * credential_process path, interleaved in one run (for trying an
 * optimisation against the build before it).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { startFakeAws } from "../fake-aws/server.ts";
import { measureInterleaved } from "./measure.ts";

const [dirA, dirB] = process.argv.slice(2).map((d) => resolve(d));
if (dirA === undefined || dirB === undefined) throw new Error("usage: tsx bench/ab.ts DIR_A DIR_B");
const root = resolve(import.meta.dirname, "..");
const serial = "arn:aws:iam::111111111111:mfa/alice";
const aws = await startFakeAws({ world: join(root, "fake-aws", "worlds", "example.json") });
const home = await mkdtemp(join(tmpdir(), "awsmfa-ab-"));
try {
  await mkdir(join(home, ".aws"));
  await writeFile(
    join(home, ".aws", "config"),
    `[profile alice]\nmfa_serial = ${serial}\n\n[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = alice\nregion = us-east-1\n`,
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    AWSMFA_BACKEND: "file",
    AWSMFA_FILE_PASSPHRASE: "ab",
    AWS_ENDPOINT_URL_STS: aws.url,
  };
  const run = promisify(execFile);
  await run(process.execPath, [join(dirA, "awsmfa.cjs"), "add", "alice", "--env"], {
    env: {
      ...env,
      AWS_ACCESS_KEY_ID: "AKIAFAKEALICE0000001",
      AWS_SECRET_ACCESS_KEY: "fake/alice/secret/key/not/real/000000001",
    },
  });
  await run(
    process.execPath,
    [join(dirA, "awsmfa.cjs"), "export", "admin", "-t", aws.freshTotp(serial)],
    { env },
  );
  const args = (d: string) => [
    join(d, "awsmfa.cjs"),
    "export",
    "--format",
    "credential-process",
    "admin",
  ];
  const rounds = Number(process.env.BENCH_ROUNDS ?? "20");
  const r = measureInterleaved(
    [
      { label: "node -e 0", command: process.execPath, args: ["-e", "0"], env },
      { label: `A ${dirA}`, command: process.execPath, args: args(dirA), env },
      { label: `B ${dirB}`, command: process.execPath, args: args(dirB), env },
    ],
    rounds,
  );
  const node = r.get("node -e 0") ?? NaN;
  for (const [label, ms] of r) {
    console.log(
      `${ms.toFixed(1).padStart(8)} ms  ${(ms / node).toFixed(2).padStart(5)}x node  ${label}`,
    );
  }
} finally {
  await aws.stop();
  await rm(home, { recursive: true, force: true });
}
