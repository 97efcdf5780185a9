/**
 * The keyring helper program: runs @napi-rs/keyring calls for its parent
 * (keyringProcess.ts), which kills it when the keyring hangs. Built as its
 * own entry (scripts/build.mjs: dist/chunks/keyring-helper.cjs); never
 * imported by the CLI.
 *
 * Requests come one JSON line at a time on stdin, answers go one JSON line
 * at a time to stdout (keyringProtocol.ts); the helper ends when its stdin
 * closes (the parent exited or closed it). The requests are the parent's
 * own, so a malformed one is a bug: it is answered with an error, never
 * guessed at.
 */
import { Entry, findCredentials } from "@napi-rs/keyring";
import {
  isKeyringRequest,
  type KeyringAnswer,
  type KeyringRequest,
  type KeyringResult,
} from "./keyringProtocol.ts";

function handle(req: KeyringRequest): KeyringResult[] {
  // Linux has two stores; pin the one asked for (no silent fallback).
  const opts =
    req.store === "secret-service" || req.store === "keyutils"
      ? { linux: { store: req.store } }
      : undefined;
  const entry = (account: string) => new Entry(req.service, account, opts);
  const readIndex = (account: string): unknown[] => {
    const v = entry(account).getPassword();
    const list: unknown = typeof v === "string" ? JSON.parse(v) : [];
    if (!Array.isArray(list)) throw new Error(`the index item ${account} is not a JSON list`);
    return list;
  };
  return req.ops.map((o): KeyringResult => {
    switch (o.op) {
      case "get":
        return entry(o.account).getPassword();
      case "set":
        entry(o.account).setPassword(o.value);
        return null;
      case "delete":
        return entry(o.account).deleteCredential();
      case "find":
        return findCredentials(req.service).map((c) => c.account);
      case "indexAdd":
      case "indexRemove": {
        const list = readIndex(o.account).filter((e) => e !== o.entry);
        if (o.op === "indexAdd") list.push(o.entry);
        if (list.length === 0) entry(o.account).deleteCredential();
        else entry(o.account).setPassword(JSON.stringify(list));
        return null;
      }
    }
  });
}

function answer(line: string): KeyringAnswer {
  try {
    const req: unknown = JSON.parse(line);
    if (!isKeyringRequest(req)) throw new Error("malformed keyring request");
    return { ok: true, results: handle(req) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

let buffer = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d: string) => {
  buffer += d;
  let nl;
  while ((nl = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    process.stdout.write(`${JSON.stringify(answer(line))}\n`);
  }
});
