/**
 * The agent: holds the derived keys of file stores unlocked in this login
 * session, in memory only, and does their AES-GCM work for awsmfa
 * processes of the same user, so each of them skips the scrypt KDF and no
 * one types the passphrase twice.
 *
 * It forgets every key and exits when it has not been used for `idleMs`,
 * when it has run for `maxLifetimeMs`, when its socket is removed or
 * replaced (a newer agent took the path), on `lock`+`stop`, or on SIGTERM.
 * `lock` forgets the keys and keeps running.
 */
import { chmod, lstat, mkdir, unlink } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import type { Clock } from "../platform/clock.ts";
import { isErrno } from "../platform/fs.ts";
import { open, seal } from "../store/file/crypto.ts";
import { keyMatches, parseHeader } from "../store/file/format.ts";
import { AGENT_PROTOCOL, MAX_LINE, type AgentRequest, type AgentResponse } from "./protocol.ts";
import { checkSocket } from "./socketPath.ts";
import { storeId } from "./storeId.ts";

export interface AgentOptions {
  readonly socketPath: string;
  readonly uid: number;
  readonly version: string;
  readonly clock: Clock;
  readonly idleMs: number;
  readonly maxLifetimeMs: number;
  /** How often expiry and the socket are checked; default 5 s. */
  readonly checkEveryMs?: number;
  /** Called once when the agent has stopped (why, for --debug). */
  readonly onStop?: (why: string) => void;
}

export interface RunningAgent {
  readonly server: Server;
  /** How many keys it holds. */
  keys(): number;
  /** Runs the expiry and socket checks now (the timer does it every checkEveryMs). */
  check(): Promise<void>;
  stop(why: string): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { socketPath, clock } = options;
  await prepareDir(socketPath, options.uid);
  const keys = new Map<string, Buffer>();
  const started = clock.now();
  let lastUse = started;
  let stopped = false;

  const answer = (body: Omit<AgentResponse, "version" | "protocol">): AgentResponse => ({
    ...body,
    version: options.version,
    protocol: AGENT_PROTOCOL,
  });
  const fail = (error: "locked" | "bad", message: string) => answer({ ok: false, error, message });

  function handle(req: AgentRequest): AgentResponse {
    switch (req.op) {
      case "hello":
        return answer({ ok: true, pid: process.pid });
      case "has":
        return answer({ ok: true, has: keys.has(req.id) });
      case "offer": {
        const key = Buffer.from(req.key, "base64");
        let header;
        try {
          header = parseHeader(req.header, "store.json");
        } catch {
          return fail("bad", "not a store header");
        }
        if (!keyMatches(header, key)) return fail("bad", "the key does not open that store");
        keys.set(storeId(req.header), key);
        return answer({ ok: true });
      }
      case "open": {
        const key = keys.get(req.id);
        if (key === undefined) return fail("locked", "no key for that store");
        const plain = open(
          key,
          {
            nonce: Buffer.from(req.nonce, "base64"),
            ciphertext: Buffer.from(req.ciphertext, "base64"),
          },
          Buffer.from(req.aad, "base64"),
        );
        // No plain: the item does not authenticate (the store says "tampered").
        return answer(
          plain === undefined ? { ok: true } : { ok: true, plain: plain.toString("base64") },
        );
      }
      case "seal": {
        const key = keys.get(req.id);
        if (key === undefined) return fail("locked", "no key for that store");
        const sealed = seal(key, Buffer.from(req.plain, "base64"), Buffer.from(req.aad, "base64"));
        return answer({
          ok: true,
          nonce: sealed.nonce.toString("base64"),
          ciphertext: sealed.ciphertext.toString("base64"),
        });
      }
      case "lock":
      case "stop": {
        const forgot = forget();
        return answer({ ok: true, forgot });
      }
    }
  }

  function forget(): number {
    const n = keys.size;
    for (const k of keys.values()) k.fill(0);
    keys.clear();
    return n;
  }

  function serve(socket: Socket): void {
    let buffered = "";
    socket.setEncoding("utf8");
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_LINE) {
        socket.destroy();
        return;
      }
      const end = buffered.indexOf("\n");
      if (end < 0) return;
      const line = buffered.slice(0, end);
      buffered = "";
      let response: AgentResponse;
      let req: AgentRequest | undefined;
      try {
        req = parseRequest(line);
        response = req === undefined ? fail("bad", "unknown request") : handle(req);
      } catch {
        response = fail("bad", "unreadable request");
      }
      lastUse = clock.now();
      socket.end(JSON.stringify(response) + "\n");
      if (req?.op === "stop") void stop("asked to stop");
    });
  }

  const server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  await chmod(socketPath, 0o600);
  // The socket is made in our 0700 directory, so no one can reach it
  // before it is 0600 too.
  const inode = (await lstat(socketPath)).ino;

  async function check(): Promise<void> {
    const why = await reasonToStop();
    if (why !== undefined) await stop(why);
  }

  async function reasonToStop(): Promise<string | undefined> {
    const now = clock.now();
    if (now - lastUse >= options.idleMs) return "idle";
    if (now - started >= options.maxLifetimeMs) return "maximum lifetime reached";
    try {
      if ((await lstat(socketPath)).ino !== inode) return "its socket was replaced";
    } catch {
      return "its socket was removed";
    }
    return undefined;
  }

  const timer = setInterval(() => void check(), options.checkEveryMs ?? 5000);

  async function stop(why: string): Promise<void> {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    forget();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    // Remove the socket only while it is still ours (not a newer agent's).
    try {
      if ((await lstat(socketPath)).ino === inode) await unlink(socketPath);
    } catch {
      // already gone
    }
    options.onStop?.(why);
  }

  return { server, keys: () => keys.size, check, stop };
}

/**
 * The socket's directory: made 0700 when missing; refused when it is not
 * ours or others can write to it. A socket left there by a dead agent is
 * removed; a live agent's is left alone (the caller asked it to stop first).
 */
async function prepareDir(socketPath: string, uid: number): Promise<void> {
  const dir = dirname(socketPath);
  const made = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (made !== undefined) await chmod(dir, 0o700);
  await checkSocket(socketPath, uid);
  try {
    await unlink(socketPath);
  } catch (e) {
    if (!isErrno(e, "ENOENT")) throw e;
  }
}

function parseRequest(line: string): AgentRequest | undefined {
  const v: unknown = JSON.parse(line);
  if (typeof v !== "object" || v === null) return undefined;
  const fields = new Map(Object.entries(v));
  const get = (k: string): string | undefined => {
    const x: unknown = fields.get(k);
    return typeof x === "string" ? x : undefined;
  };
  const op = get("op");
  const id = get("id");
  const aad = get("aad");
  switch (op) {
    case "hello":
    case "lock":
    case "stop":
      return { op };
    case "has":
      return id === undefined ? undefined : { op, id };
    case "offer": {
      const header = get("header");
      const key = get("key");
      return header === undefined || key === undefined ? undefined : { op, header, key };
    }
    case "open": {
      const nonce = get("nonce");
      const ciphertext = get("ciphertext");
      return id === undefined ||
        nonce === undefined ||
        ciphertext === undefined ||
        aad === undefined
        ? undefined
        : { op, id, nonce, ciphertext, aad };
    }
    case "seal": {
      const plain = get("plain");
      return id === undefined || plain === undefined || aad === undefined
        ? undefined
        : { op, id, plain, aad };
    }
    default:
      return undefined;
  }
}
