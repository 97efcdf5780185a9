/**
 * `npm run bench`: the cost of a cached `credential_process` call, as ratios
 * against bare `node -e 0` measured in the same run, interleaved (these
 * machines are noisy: only ratios mean anything). Every row is measured
 * directly, never computed from other rows. Headline: NODE_EXTRA_CA_CERTS
 * unset (when set it adds ~50 ms to every Node start and hides our own
 * cost); where the environment sets it, a second column measures with it.
 *
 * Rows: the file store through the unlock agent, without it (scrypt KDF
 * each call), the kernel keyring, the Secret Service (a private bus and
 * gnome-keyring when the shell has none), the default backend (no
 * --backend) with and without a session bus, the
 * agent path at 1k/10k/100k profiles, 16 and 64 parallel warm callers (wall
 * and total CPU), and the AWS CLI v2 calling our credential_process against
 * `credential_process = cat`. BENCH_ROUNDS (default 15) runs per row;
 * BENCH_ROWS (a regular expression) measures only the rows it matches.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freshCode, manualClock } from "../fake-aws/clock.ts";
import { startFakeAws } from "../fake-aws/server.ts";
import { median } from "./measure.ts";
import { sample, type Sample } from "./sample.ts";

// The Secret Service row needs a session bus and an unlocked keyring: with
// none in this shell (CI, containers), the bench re-runs once inside a
// private one (dbus-run-session, gnome-keyring unlocked with a bench password).
const haveBusTools = ["dbus-run-session", "gnome-keyring-daemon"].every(
  (t) => spawnSync("sh", ["-c", `command -v ${t}`]).status === 0,
);
if (
  haveBusTools &&
  process.env.DBUS_SESSION_BUS_ADDRESS === undefined &&
  process.env.AWSMFA_BENCH_IN_BUS === undefined
) {
  const again = spawnSync(
    "dbus-run-session",
    [
      "--",
      "sh",
      "-c",
      'printf bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"',
      "sh",
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: "inherit", env: { ...process.env, AWSMFA_BENCH_IN_BUS: "1" } },
  );
  process.exit(again.status ?? 1);
}

// keyutils keeps a key readable only for processes that possess it through
// their session keyring. A shell without one of its own (no PAM login: CI,
// containers) re-runs the bench once inside a fresh session keyring.
const ownSession = spawnSync("keyctl", ["rdescribe", "@s"], { encoding: "utf8" });
if (
  ownSession.status === 0 &&
  /;_uid_ses\.\d+$/.test(ownSession.stdout.trim()) &&
  process.env.AWSMFA_BENCH_IN_KEYCTL_SESSION === undefined
) {
  const again = spawnSync(
    "keyctl",
    ["session", "-", process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, AWSMFA_BENCH_IN_KEYCTL_SESSION: "1" } },
  );
  process.exit(again.status ?? 1);
}

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "dist", "awsmfa.cjs");
const rounds = Number(process.env.BENCH_ROUNDS ?? "15");
const serial = "arn:aws:iam::111111111111:mfa/alice";
const caCerts = process.env.NODE_EXTRA_CA_CERTS;

interface Row {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly parallel?: number;
  /** Also measured with NODE_EXTRA_CA_CERTS set (when the environment sets it). */
  readonly withCa?: boolean;
}

// A clock of our own: each warm-up spends an MFA code, and AWS accepts a code
// once, so the fake's clock moves on a step when the window's codes are spent.
const clock = manualClock(Date.now());
const aws = await startFakeAws({ world: join(root, "fake-aws", "worlds", "example.json"), clock });
const code = (): string => freshCode(aws, clock, serial);
const home = await mkdtemp(join(tmpdir(), "awsmfa-bench-"));
const cleanups: (() => Promise<unknown>)[] = [];
try {
  await mkdir(join(home, ".aws"), { mode: 0o700 });
  const profiles = (n: number) =>
    Array.from({ length: n }, (_, i) => `[profile p${String(i)}]\nregion = eu-west-1\n`).join("\n");
  const config = `[profile alice]
mfa_serial = ${serial}
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = alice
region = us-east-1

[profile via-awsmfa]
credential_process = ${process.execPath} ${bin} export --format credential-process admin
region = us-east-1

[profile via-cat]
credential_process = cat ${join(home, "creds.json")}
region = us-east-1
`;
  const configs = new Map<number, string>();
  for (const n of [10, 1000, 10_000, 100_000]) {
    const path = join(home, ".aws", `config-${String(n)}`);
    await writeFile(path, `${config}\n${profiles(n - 4)}`);
    configs.set(n, path);
  }
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(AWS|AWSMFA)/.test(k) && k !== "NODE_EXTRA_CA_CERTS") base[k] = v;
  }
  Object.assign(base, {
    HOME: home,
    AWS_CONFIG_FILE: configs.get(10) ?? "",
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_EC2_METADATA_DISABLED: "true",
    AWSMFA_AGENT_SOCK: join(home, "agent", "agent.sock"),
    AWSMFA_FILE_DIR: join(home, ".awsmfa"),
  });
  const file = { ...base, AWSMFA_BACKEND: "file" };
  const fileNoAgent = { ...file, AWSMFA_AGENT: "off", AWSMFA_FILE_PASSPHRASE: "bench" };
  const keys = {
    AWS_ACCESS_KEY_ID: "AKIAFAKEALICE0000001",
    AWS_SECRET_ACCESS_KEY: "fake/alice/secret/key/not/real/000000001",
  };
  // Async: fake-aws answers from this process, so its event loop must run.
  const awsmfa = async (args: string[], env: Record<string, string>) =>
    (await promisify(execFile)(process.execPath, [bin, ...args], { env, encoding: "utf8" })).stdout;
  // Warm: keys stored, the MFA session and the role cached, the agent unlocked.
  await awsmfa(["add", "alice", "--env"], { ...fileNoAgent, ...keys });
  const creds = await awsmfa(
    ["export", "--format", "credential-process", "admin", "-t", code()],
    fileNoAgent,
  );
  await writeFile(join(home, "creds.json"), creds, { mode: 0o600 });
  await awsmfa(["unlock"], { ...file, AWSMFA_FILE_PASSPHRASE: "bench" });
  cleanups.push(() => awsmfa(["lock", "--stop"], file));

  const hot = [bin, "export", "--format", "credential-process", "admin"];
  const node = (
    label: string,
    args: string[],
    env: Record<string, string>,
    more: Partial<Row> = {},
  ): Row => ({
    label,
    command: process.execPath,
    args,
    env,
    ...more,
  });
  const rows: Row[] = [
    node("node -e 0", ["-e", "0"], file, { withCa: true }),
    // What any Node program answering from the agent pays at least: it must
    // hash (crypto) and talk to a socket (net). Measured, not subtracted.
    node(
      "lower bound: node loading crypto + net, connecting to the agent",
      [
        "-e",
        `require("node:crypto");const s=require("node:net").connect(process.env.AWSMFA_AGENT_SOCK);s.on("connect",()=>s.end())`,
      ],
      file,
    ),
    node("awsmfa --version (the bin, then the whole CLI)", [bin, "--version"], file, {
      withCa: true,
    }),
    node("cached, file store via the agent", hot, file, { withCa: true }),
    node("cached, file store without the agent (KDF)", hot, fileNoAgent, { withCa: true }),
  ];
  const notes: string[] = [];
  /** Stores alice's keys in a keyring backend and caches the role there; false (with a note) when it cannot. */
  const warm = async (what: string, env: Record<string, string>): Promise<boolean> => {
    try {
      await awsmfa(["add", "alice", "--env", "--force"], { ...env, ...keys });
      await awsmfa(["export", "--format", "credential-process", "admin", "-t", code()], env);
      cleanups.push(() => awsmfa(["remove", "alice", "--force"], env));
      return true;
    } catch (e) {
      const why = e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e);
      notes.push(`${what}: not measured (${why})`);
      return false;
    }
  };

  const keyctl = spawnSync("keyctl", ["show", "@s"], { encoding: "utf8" });
  if (keyctl.status === 0) {
    const ku = { ...base, AWSMFA_BACKEND: "keyutils" };
    if (await warm("keyutils", ku)) rows.push(node("cached, kernel keyring (keyutils)", hot, ku));
  } else {
    notes.push("keyutils: not measured (keyctl is not installed or has no session keyring)");
  }
  // No --backend, no session bus: the file store (via the agent), the
  // Secret Service passed over without loading it.
  const noBus = { ...base };
  delete noBus.DBUS_SESSION_BUS_ADDRESS;
  delete noBus.XDG_RUNTIME_DIR;
  rows.push(node("cached, default backend, no session bus (file store)", hot, noBus));
  if (process.env.DBUS_SESSION_BUS_ADDRESS === undefined) {
    notes.push(
      "Secret Service: not measured (no D-Bus session, and dbus-run-session or gnome-keyring is missing)",
    );
  } else {
    const ss = { ...base, AWSMFA_BACKEND: "secret-service" };
    if (await warm("Secret Service", ss)) {
      rows.push(node("cached, Secret Service (gnome-keyring)", hot, ss));
      // No --backend with the bus: the remembered answer (the Secret Service).
      rows.push(node("cached, default backend, session bus (Secret Service)", hot, { ...base }));
    }
  }
  for (const n of [1000, 10_000, 100_000]) {
    rows.push(
      node(`cached via the agent, ${String(n)} profiles`, hot, {
        ...file,
        AWS_CONFIG_FILE: configs.get(n) ?? "",
      }),
    );
  }
  for (const n of [16, 64])
    rows.push(node(`${String(n)} parallel cached callers (agent)`, hot, file, { parallel: n }));
  const v2 = "/usr/bin/aws";
  if (existsSync(v2)) {
    for (const p of ["via-cat", "via-awsmfa"]) {
      rows.push({
        label: `AWS CLI v2 export-credentials, ${p === "via-cat" ? "credential_process = cat" : "credential_process = awsmfa"}`,
        command: v2,
        args: ["configure", "export-credentials", "--profile", p],
        env: file,
      });
    }
  } else {
    notes.push("AWS CLI v2: not measured (/usr/bin/aws, Debian's awscli, is not installed)");
  }

  // BENCH_ROWS=regex measures only the matching rows (node -e 0 always runs: it is the baseline).
  const only =
    process.env.BENCH_ROWS === undefined ? undefined : new RegExp(process.env.BENCH_ROWS);
  const chosen = rows.filter(
    (r) => only === undefined || r.label === "node -e 0" || only.test(r.label),
  );
  // Interleaved: one sample of every row per round, so load spikes hit all rows alike.
  const variants: { row: Row; ca: boolean }[] = chosen.flatMap((row) =>
    row.withCa === true && caCerts !== undefined
      ? [
          { row, ca: false },
          { row, ca: true },
        ]
      : [{ row, ca: false }],
  );
  const take = (v: { row: Row; ca: boolean }): Sample =>
    sample(
      v.row.command,
      v.row.args,
      v.ca && caCerts !== undefined ? { ...v.row.env, NODE_EXTRA_CA_CERTS: caCerts } : v.row.env,
      v.row.parallel ?? 1,
    );
  for (const v of variants) take(v); // warm-up
  const samples = variants.map(() => [] as Sample[]);
  for (let i = 0; i < rounds; i++) variants.forEach((v, k) => samples[k]?.push(take(v)));

  const stats = (k: number) => {
    const s = samples[k] ?? [];
    const wall = s.map((x) => x.wallMs);
    return {
      min: Math.min(...wall),
      med: median(wall),
      max: Math.max(...wall),
      cpu: median(s.map((x) => x.cpuMs)),
      rss: median(s.map((x) => x.rssKiB)) / 1024,
    };
  };
  const baseline = (ca: boolean) => {
    const k = variants.findIndex((v) => v.row.label === "node -e 0" && v.ca === ca);
    return stats(k).med;
  };
  const out = [
    `awsmfa bench: ${String(rounds)} interleaved runs per row; wall min / median / max, ratio of medians to node -e 0 in the same run; CPU and peak RSS medians`,
    `NODE_EXTRA_CA_CERTS unset${caCerts === undefined ? " (it is not set here)" : "; rows marked [CA] ran with it set, against node -e 0 [CA]"}`,
    "",
    `${"row".padEnd(60)} ${"min".padStart(7)} ${"median".padStart(7)} ${"max".padStart(7)}  ${"ratio".padStart(6)} ${"CPU ms".padStart(7)} ${"RSS MB".padStart(7)}`,
  ];
  variants.forEach((v, k) => {
    const s = stats(k);
    const label = `${v.row.label}${v.ca ? " [CA]" : ""}`;
    out.push(
      `${label.padEnd(60)} ${s.min.toFixed(0).padStart(7)} ${s.med.toFixed(0).padStart(7)} ${s.max.toFixed(0).padStart(7)}  ${(s.med / baseline(v.ca)).toFixed(2).padStart(5)}x ${s.cpu.toFixed(0).padStart(7)} ${s.rss.toFixed(0).padStart(7)}`,
    );
  });
  if (notes.length > 0) out.push("", ...notes);
  console.log(out.join("\n"));
} finally {
  for (const c of cleanups) await c().catch(() => undefined);
  await aws.stop();
  await rm(home, { recursive: true, force: true });
}
