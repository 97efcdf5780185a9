/**
 * What callers waiting on a session lock see and do (#9 items 7 and 11):
 * a wait is announced once on stderr, naming the holder; and when the
 * holder's MFA code is rejected, the waiters fail with the same message
 * instead of each asking for a code of its own.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { access, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sessionFamily } from "../../src/credentials/cacheKey.ts";
import { lockPath } from "../../src/credentials/getCredentials.ts";
import { BIN } from "../helpers/sandbox.ts";
import { ALICE_MFA, callsOf, startWorld, useMfaProcesses, type World } from "./helpers.ts";

let w: World;
let askedFile: string;
let codeFile: string;
let startedFile: string;

before(async () => {
  w = await startWorld();
  ({ askedFile: askedFile, codeFile, startedFile } = await useMfaProcesses(w, 60));
});
after(async () => {
  await w.stop();
});

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

test(
  "regression (#9 item 11): 16 parallel credential_process callers and a wrong MFA code: one code asked for, one GetSessionToken, every caller fails with the same message",
  { timeout: 180_000 },
  async () => {
    const good = w.code();
    await writeFile(codeFile, `${good === "000000" ? "111111" : "000000"}\n`);
    w.aws.clearCalls();
    const runs = await Promise.all(
      Array.from({ length: 16 }, () =>
        w.sb.run(["export", "--format", "credential-process", "admin"], { timeoutMs: 150_000 }),
      ),
    );
    const asked = (await readFile(askedFile, "utf8")).split("\n").filter((l) => l !== "");
    assert.equal(asked.length, 1, "the code was asked for once");
    assert.equal(callsOf(w.aws, "GetSessionToken").length, 1, "one GetSessionToken");
    assert.equal(callsOf(w.aws, "AssumeRole").length, 0, "no role without a session");
    for (const r of runs) {
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /STS rejected the MFA code for arn:aws:iam::111111111111:mfa\/alice/);
      assert.doesNotMatch(r.stderr, /unexpected error/);
    }
    const firstLines = new Set(
      runs.map((r) => r.stderr.split("\n").find((l) => /rejected/.test(l))),
    );
    assert.equal(firstLines.size, 1, "the same message for every caller");

    // The failure is not remembered for callers that come later: the next
    // call asks for a code of its own, and a right one works.
    await writeFile(codeFile, `${w.code()}\n`);
    w.aws.clearCalls();
    const next = await w.sb.run(["export", "--format", "credential-process", "admin"], {
      timeoutMs: 60_000,
    });
    assert.equal(next.code, 0, next.stderr);
    assert.equal(callsOf(w.aws, "GetSessionToken").length, 1);
    const askedAfter = (await readFile(askedFile, "utf8")).split("\n").filter((l) => l !== "");
    assert.equal(askedAfter.length, 2, "a later caller asks again");
  },
);

test(
  "regression (#9 item 7): a caller waiting on another process's lock says so on stderr, naming the holder and what it waits for",
  { timeout: 50_000 },
  async () => {
    const holder = spawn(process.execPath, [BIN, "export", "--format", "env", "mfa-slow"], {
      env: w.sb.env,
      stdio: "ignore",
      detached: true,
    });
    const holderPid = holder.pid;
    assert.ok(holderPid !== undefined);
    let waiter: ReturnType<typeof spawn> | undefined;
    try {
      // Wait until its mfa_process runs: it then holds the session's lock.
      for (let i = 0; !(await exists(startedFile)); i++) {
        if (i > 600) throw new Error("the holder never reached its mfa_process");
        await sleep(50);
      }
      const w2 = spawn(process.execPath, [BIN, "export", "--format", "env", "mfa-slow"], {
        env: w.sb.env,
        stdio: ["ignore", "ignore", "pipe"],
        detached: true,
      });
      waiter = w2;
      let stderr = "";
      const told = new Promise<void>((resolve, reject) => {
        w2.stderr.setEncoding("utf8").on("data", (d: string) => {
          stderr += d;
          if (stderr.includes("\n")) resolve();
        });
        w2.on("exit", () => {
          reject(new Error(`the waiter exited without a word on stderr: ${stderr}`));
        });
      });
      await told;
      const line = stderr.split("\n")[0] ?? "";
      assert.match(line, /^awsmfa: /);
      assert.match(line, new RegExp(`process ${String(holderPid)}\\b`), line);
      assert.match(line, /session for base2\/arn:aws:iam::111111111111:mfa\/alice/, line);
      assert.match(line, /MFA code/, line);
      await sleep(1500);
      assert.equal(stderr.split("\n").filter((l) => l !== "").length, 1, `said once: ${stderr}`);
    } finally {
      for (const pid of [holderPid, waiter?.pid]) {
        try {
          if (pid !== undefined) process.kill(-pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  },
);

test(
  "regression (#9 items 8, 20): a dangling symlink or a directory at a session lock under the store's locks/ stops the call with a message naming it",
  { timeout: 60_000 },
  async () => {
    const lock = `${lockPath(join(w.sb.fileDir, "locks"), sessionFamily("base", ALICE_MFA))}.lock`;
    await mkdir(dirname(lock), { recursive: true, mode: 0o700 });
    await rm(lock, { force: true });
    await w.sb.run(["clear"]);
    for (const [make, what] of [
      [() => symlink("/nowhere/at/all", lock), /is a symbolic link/],
      [() => mkdir(lock), /is a directory/],
    ] as const) {
      await make();
      try {
        const r = await w.sb.run(["export", "--format", "credential-process", "mfa"], {
          timeoutMs: 45_000,
        });
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.signal, null, "it ended on its own");
        assert.ok(r.stderr.includes(lock), r.stderr);
        assert.match(r.stderr, what);
        assert.match(r.stderr, /Remove it/);
        assert.doesNotMatch(r.stderr, /unexpected error/);
      } finally {
        await rm(lock, { recursive: true, force: true });
      }
    }
  },
);
