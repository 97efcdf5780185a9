/**
 * Bug: STS calls could hang forever. src/aws/sts.ts set requestTimeout on
 * the NodeHttpHandler, but @smithy/node-http-handler only logs a WARN (to
 * the console, i.e. into every credential_process caller's stderr) when it
 * passes, unless throwOnRequestTimeout is set. Every network wait must be
 * bounded, fail with a clear error naming the endpoint, and print nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { getCredentials } from "../../src/credentials/getCredentials.ts";
import { stsFactory } from "../../src/aws/stsFactory.ts";
import { isAwsmfaError, type AwsmfaError } from "../../src/errors.ts";
import { ALICE_MFA, makeConfig, makeDeps, prof, storeKeys } from "./helpers.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

const TIMEOUTS = { connectMs: 1_000, requestMs: 300 };
// As src/cli/processContext.ts does: the SDK's own Node 20 notice is not what this test is about.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** Accepts connections and never answers. */
async function blackhole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((c) => {
    sockets.add(c);
    c.on("data", () => undefined);
    c.on("error", () => undefined);
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${String(port)}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) =>
        server.close(() => {
          r();
        }),
      );
    },
  };
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((r) =>
    server.close(() => {
      r();
    }),
  );
  return port;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      if (a === null || typeof a === "string") reject(new Error("no port"));
      else resolve(a.port);
    });
  });
}

async function setup(endpoint: string) {
  const config = makeConfig(
    prof("default", { endpointUrl: endpoint, region: "us-east-1" }),
    prof("mfa", { mfaSerial: ALICE_MFA, sourceProfile: "default" }),
  );
  const store = memoryStore();
  await storeKeys(store, "default");
  return { ...makeDeps(config, stsFactory, { store }), stsTimeouts: TIMEOUTS };
}

/** Runs `f` with console.warn/error and process.stderr.write captured. */
async function silently<T>(f: () => Promise<T>): Promise<{ result: T; printed: string[] }> {
  const printed: string[] = [];
  const { warn, error } = console;
  const write = process.stderr.write.bind(process.stderr);
  console.warn = (...a: unknown[]) => printed.push(a.map(String).join(" "));
  console.error = (...a: unknown[]) => printed.push(a.map(String).join(" "));
  process.stderr.write = (chunk: string | Uint8Array): boolean => {
    printed.push(String(chunk));
    return true;
  };
  try {
    return { result: await f(), printed };
  } finally {
    console.warn = warn;
    console.error = error;
    process.stderr.write = write;
  }
}

async function failure(p: Promise<unknown>): Promise<AwsmfaError> {
  try {
    await p;
  } catch (e) {
    if (isAwsmfaError(e)) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

test("bug: an STS endpoint that accepts and never answers used to hang; now a clear error within the bound, nothing printed", async () => {
  const hole = await blackhole();
  try {
    // No MFA (GetSessionToken for stored keys, retried once) and with MFA (sent once).
    for (const req of [{ profile: "default" }, { profile: "mfa", mfaToken: "123456" }]) {
      const deps = await setup(hole.url);
      const { result: e, printed } = await silently(() => failure(getCredentials(deps, req)));
      assert.equal(e.code, "E_STS_UNREACHABLE");
      assert.match(
        e.message,
        new RegExp(`STS at ${hole.url.replace(/\./g, "\\.")} did not answer within 0\\.3 s`),
      );
      assert.match(e.message, new RegExp(`^Profile ${req.profile}: `));
      assert.match(e.hint ?? "", /endpoint_url/);
      assert.deepEqual(printed, [], "no SDK warning reaches stderr");
      assert.deepEqual(await deps.store.list("session"), [], "nothing cached");
    }
  } finally {
    await hole.close();
  }
});

test("bug: a refused connection fails fast with the endpoint named", async () => {
  const port = await closedPort();
  const deps = await setup(`http://127.0.0.1:${String(port)}`);
  const { result: e, printed } = await silently(() =>
    failure(getCredentials(deps, { profile: "default" })),
  );
  assert.equal(e.code, "E_STS_UNREACHABLE");
  assert.match(e.message, new RegExp(`STS at http://127\\.0\\.0\\.1:${String(port)}`));
  assert.deepEqual(printed, []);
});
