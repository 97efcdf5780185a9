/**
 * The unlock agent (issue #10): what it holds, what it refuses, and how the
 * file store's side (keyAgent) falls back when the agent is dead, foreign,
 * of another release, or in a directory others can write.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAgent, type RunningAgent } from "../../src/agent/agentServer.ts";
import { askAgent } from "../../src/agent/agentClient.ts";
import { keyAgent } from "../../src/agent/keyAgent.ts";
import { checkSocket } from "../../src/agent/socketPath.ts";
import { makeHeader, serializeHeader } from "../../src/store/file/format.ts";
import { seal } from "../../src/store/file/crypto.ts";
import { fixedClock } from "../helpers/fixedClock.ts";

const uid = process.getuid?.() ?? 0;
const VERSION = "9.9.9-test";
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function place(): Promise<{ dir: string; sock: string }> {
  const dir = await mkdtemp(join(tmpdir(), "awsmfa-agent-"));
  dirs.push(dir);
  return { dir, sock: join(dir, "run", "agent.sock") };
}

/** A store header for a random key (tiny scrypt parameters: the agent never derives). */
function store(): { header: string; key: Buffer } {
  const key = randomBytes(32);
  const header = serializeHeader(makeHeader({ N: 2, r: 1, p: 1 }, randomBytes(16), key));
  return { header, key };
}

async function agentAt(
  sock: string,
  clock = fixedClock(1_000_000),
  stops: string[] = [],
): Promise<RunningAgent> {
  return startAgent({
    socketPath: sock,
    uid,
    version: VERSION,
    clock,
    idleMs: 60_000,
    maxLifetimeMs: 600_000,
    checkEveryMs: 3_600_000,
    onStop: (why) => stops.push(why),
  });
}

function link(sock: string, warnings: string[] = [], autoStart = false) {
  return keyAgent({
    socketPath: sock,
    uid,
    version: VERSION,
    autoStart,
    spawnAgent: () => Promise.reject(new Error("no spawning in this test")),
    debug: () => undefined,
    warn: (m) => warnings.push(m),
  });
}

test("the agent keeps an offered key only when it opens the store, and does the store's crypto with it", async () => {
  const { sock } = await place();
  const agent = await agentAt(sock);
  try {
    const s = store();
    assert.equal((await stat(join(sock, ".."))).mode & 0o777, 0o700);
    assert.equal((await stat(sock)).mode & 0o777, 0o600);
    const wrong = await askAgent(sock, {
      op: "offer",
      header: s.header,
      key: randomBytes(32).toString("base64"),
    });
    assert.equal(wrong?.ok, false);
    assert.equal(agent.keys(), 0);
    const k = link(sock);
    assert.equal(await k.cipher(s.header), undefined, "nothing held yet");
    await k.remember(s.header, s.key);
    assert.equal(agent.keys(), 1);
    const cipher = await k.cipher(s.header);
    assert.ok(cipher !== undefined);
    const aad = Buffer.from("session\0alice");
    // Sealed by the agent, opened locally with the real key, and back.
    const sealed = await cipher.seal(Buffer.from("secret value"), aad);
    const mine = seal(s.key, Buffer.from("other value"), aad);
    assert.equal((await cipher.open(mine, aad))?.toString(), "other value");
    assert.equal((await cipher.open(sealed, aad))?.toString(), "secret value");
    assert.equal(
      await cipher.open(sealed, Buffer.from("keys\0alice")),
      undefined,
      "AAD binds the item",
    );
  } finally {
    await agent.stop("test over");
  }
});

test("lock forgets every key at once; the next reader falls back to the passphrase", async () => {
  const { sock } = await place();
  const agent = await agentAt(sock);
  try {
    const s = store();
    await link(sock).remember(s.header, s.key);
    const r = await askAgent(sock, { op: "lock" });
    assert.equal(r?.forgot, 1);
    assert.equal(agent.keys(), 0);
    assert.equal(await link(sock).cipher(s.header), undefined);
  } finally {
    await agent.stop("test over");
  }
});

test("idle expiry and maximum lifetime, on an injected clock; a removed socket ends the agent", async () => {
  const clock = fixedClock(5_000_000);
  const { sock } = await place();
  const stops: string[] = [];
  const agent = await agentAt(sock, clock, stops);
  const s = store();
  await link(sock).remember(s.header, s.key);
  clock.advance(59_000);
  await agent.check();
  assert.deepEqual(stops, [], "59 s unused: still there");
  clock.advance(1_000);
  await agent.check();
  assert.deepEqual(stops, ["idle"]);
  assert.equal(agent.keys(), 0);
  await assert.rejects(stat(sock), { code: "ENOENT" }, "its socket is removed");

  const other = await place();
  const stops2: string[] = [];
  const clock2 = fixedClock(0);
  const a2 = await agentAt(other.sock, clock2, stops2);
  for (let t = 0; t < 11; t++) {
    clock2.advance(59_000);
    await askAgent(other.sock, { op: "hello" });
    await a2.check();
  }
  await a2.stop("test over");
  assert.equal(stops2[0], "maximum lifetime reached", "used every minute, still ends at 10 min");

  const third = await place();
  const stops3: string[] = [];
  const a3 = await agentAt(third.sock, fixedClock(0), stops3);
  await rm(third.sock);
  await a3.check();
  await a3.stop("test over");
  assert.equal(stops3[0], "its socket was removed");
});

test("refused: a socket directory others can write, or another user's; one warning, no use", async () => {
  const { dir, sock } = await place();
  const agent = await agentAt(sock);
  try {
    const s = store();
    await link(sock).remember(s.header, s.key);
    await chmod(join(dir, "run"), 0o777);
    await assert.rejects(checkSocket(sock, uid), { code: "E_AGENT_UNSAFE" });
    const warnings: string[] = [];
    const k = link(sock, warnings);
    assert.equal(await k.cipher(s.header), undefined);
    assert.equal(await k.cipher(s.header), undefined);
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0] ?? "", /can be written by other users/);
    await chmod(join(dir, "run"), 0o700);
    if (uid === 0) {
      // Only root can give a directory away; as another user the check is the same code path.
      await chown(join(dir, "run"), 65534, 65534);
      await assert.rejects(checkSocket(sock, uid), /belongs to uid 65534/);
      await chown(join(dir, "run"), 0, 0);
    } else {
      await assert.rejects(checkSocket(sock, 65534), /belongs to uid/);
    }
    // And the agent itself refuses to start in such a directory.
    const bad = await place();
    await mkdir(join(bad.dir, "run"), { mode: 0o700 });
    await chmod(join(bad.dir, "run"), 0o777);
    await assert.rejects(agentAt(bad.sock), { code: "E_AGENT_UNSAFE" });
  } finally {
    await agent.stop("test over");
  }
});

test("a stale socket (dead agent) is no agent, answered at once; a new agent replaces it", async () => {
  const { dir, sock } = await place();
  await mkdir(join(dir, "run"), { mode: 0o700 });
  // A socket file with no one listening, as a SIGKILLed agent leaves it.
  const py = spawnSync("python3", [
    "-c",
    "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])",
    sock,
  ]);
  assert.equal(py.status, 0, py.stderr.toString());
  assert.equal(await askAgent(sock, { op: "hello" }), undefined);
  assert.equal(await link(sock).cipher(store().header), undefined);
  const agent = await agentAt(sock);
  try {
    assert.equal((await askAgent(sock, { op: "hello" }))?.ok, true);
  } finally {
    await agent.stop("test over");
  }
});

test("an agent of another release, or one that never answers, is not used and not waited on", async () => {
  const { sock } = await place();
  const agent = await startAgent({
    socketPath: sock,
    uid,
    version: "0.0.1-old",
    clock: fixedClock(0),
    idleMs: 60_000,
    maxLifetimeMs: 600_000,
    checkEveryMs: 3_600_000,
  });
  const s = store();
  await askAgent(sock, { op: "offer", header: s.header, key: s.key.toString("base64") });
  assert.equal(await link(sock).cipher(s.header), undefined, "another release's agent");
  await agent.stop("test over");

  // A listener that accepts and never answers: the client gives up in its bound.
  const hung = await place();
  await mkdir(join(hung.dir, "run"), { mode: 0o700 });
  const server = createServer(() => undefined);
  await new Promise<void>((r) => server.listen(hung.sock, r));
  try {
    const t0 = process.hrtime.bigint();
    assert.equal(await askAgent(hung.sock, { op: "hello" }, 300), undefined);
    assert.ok(process.hrtime.bigint() - t0 < 10_000_000_000n, "bounded (hang guard)");
  } finally {
    server.close();
  }
});

test("a killed agent process: the store falls back to the passphrase, without a hang", async () => {
  const { sock } = await place();
  const bin = join(import.meta.dirname, "../../dist/awsmfa.cjs");
  const child = spawn(process.execPath, [bin, "agent"], {
    env: { ...process.env, AWSMFA_AGENT_SOCK: sock },
    stdio: "ignore",
  });
  try {
    let hello;
    for (let i = 0; i < 100 && hello === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      hello = await askAgent(sock, { op: "hello" });
    }
    assert.equal(hello?.ok, true, "the built agent answers");
    assert.equal(hello.pid, child.pid);
    const s = store();
    await link(sock).remember(s.header, s.key);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    assert.equal(await link(sock).cipher(s.header), undefined);
  } finally {
    child.kill("SIGKILL");
  }
});
