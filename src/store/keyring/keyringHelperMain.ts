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
import * as native from "@napi-rs/keyring";
import { isKeyringRequest, type KeyringAnswer } from "./keyringProtocol.ts";
import { runNativeOps } from "./keyringOps.ts";

function answer(line: string): KeyringAnswer {
  try {
    const req: unknown = JSON.parse(line);
    if (!isKeyringRequest(req)) throw new Error("malformed keyring request");
    return { ok: true, results: runNativeOps(native, req) };
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
