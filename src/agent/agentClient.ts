/**
 * Talking to the agent: one request per connection, bounded in time. An
 * agent that is missing, dead (a stale socket), slow, unsafe (another
 * user's, or in a directory others can write) or of another awsmfa version
 * is never trusted and never waited on for long: the caller goes on as if
 * there were none.
 */
import { createConnection } from "node:net";
import { AGENT_PROTOCOL, type AgentRequest, type AgentResponse } from "./protocol.ts";

export const CONNECT_TIMEOUT_MS = 1000;

/** The agent's answer, or undefined when no agent answered in time. */
export function askAgent(
  socketPath: string,
  req: AgentRequest,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<AgentResponse | undefined> {
  return new Promise((resolve) => {
    let text = "";
    let settled = false;
    const done = (r: AgentResponse | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const socket = createConnection(socketPath);
    const timer = setTimeout(() => {
      done(undefined);
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("error", () => {
      done(undefined);
    });
    socket.on("connect", () => socket.write(JSON.stringify(req) + "\n"));
    socket.on("data", (chunk: string) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end >= 0) done(parseResponse(text.slice(0, end)));
    });
    socket.on("end", () => {
      done(parseResponse(text));
    });
  });
}

function parseResponse(line: string): AgentResponse | undefined {
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== "object" || v === null) return undefined;
    const f = new Map(Object.entries(v));
    const ok: unknown = f.get("ok");
    const version: unknown = f.get("version");
    const protocol: unknown = f.get("protocol");
    if (typeof ok !== "boolean" || typeof version !== "string" || typeof protocol !== "number") {
      return undefined;
    }
    const str = (k: string): string | undefined => {
      const x: unknown = f.get(k);
      return typeof x === "string" ? x : undefined;
    };
    const num = (k: string): number | undefined => {
      const x: unknown = f.get(k);
      return typeof x === "number" ? x : undefined;
    };
    const error = str("error");
    const has: unknown = f.get("has");
    const message = str("message");
    const pid = num("pid");
    const plain = str("plain");
    const nonce = str("nonce");
    const ciphertext = str("ciphertext");
    const forgot = num("forgot");
    return {
      ok,
      version,
      protocol,
      ...(error === "locked" || error === "bad" ? { error } : {}),
      ...(message === undefined ? {} : { message }),
      ...(pid === undefined ? {} : { pid }),
      ...(typeof has === "boolean" ? { has } : {}),
      ...(plain === undefined ? {} : { plain }),
      ...(nonce === undefined ? {} : { nonce }),
      ...(ciphertext === undefined ? {} : { ciphertext }),
      ...(forgot === undefined ? {} : { forgot }),
    };
  } catch {
    return undefined;
  }
}

/** true when the answer comes from an agent of exactly this awsmfa release. */
export function sameRelease(r: AgentResponse, version: string): boolean {
  return r.version === version && r.protocol === AGENT_PROTOCOL;
}
