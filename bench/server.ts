/**
 * `npx tsx bench/server.ts`: requests per second the local credential
 * servers answer on loopback, against a bare Node HTTP server answering a
 * constant body (the baseline, same load loop, interleaved rounds,
 * medians). The load comes from a worker thread: C keep-alive connections,
 * each sending its next request when the last answer is read, N requests in
 * all (bounded; no time limit decides anything).
 *
 *   npx tsx bench/server.ts [--requests N] [--connections C] [--rounds R]
 */
import { createServer, type RequestListener } from "node:http";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { systemClock } from "../src/platform/clock.ts";
import { containerHandler } from "../src/server/containerHandler.ts";
import { imdsHandler } from "../src/server/imdsHandler.ts";
import { imdsTokens } from "../src/server/imdsTokens.ts";
import { listenLoopback, type LoopbackServer } from "../src/server/listenLoopback.ts";
import { refreshingCredentials } from "../src/server/refreshingCredentials.ts";
import { roleCredentials } from "../src/server/roleCredentials.ts";
import { newServerToken } from "../src/server/token.ts";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "40000" },
    connections: { type: "string", default: "32" },
    rounds: { type: "string", default: "3" },
  },
});
const REQUESTS = Number(values.requests);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);

const LOAD = `
const { workerData, parentPort } = require("node:worker_threads");
const http = require("node:http");
const { url, headers, requests, connections } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const u = new URL(url);
let sent = 0, done = 0, failed = 0;
const start = performance.now();
function one(resolve) {
  if (sent >= requests) return resolve();
  sent++;
  const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, agent, headers }, (res) => {
    if (res.statusCode !== 200) failed++;
    res.resume();
    res.on("end", () => { done++; one(resolve); });
  });
  req.on("error", () => { failed++; done++; one(resolve); });
  req.end();
}
Promise.all(Array.from({ length: connections }, () => new Promise(one))).then(() => {
  parentPort.postMessage({ ms: performance.now() - start, done, failed });
  agent.destroy();
});
`;

function load(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD, {
      eval: true,
      workerData: { url, headers, requests: REQUESTS, connections: CONNECTIONS },
    });
    worker.once("message", (m: { ms: number; done: number; failed: number }) => {
      if (m.failed > 0)
        reject(new Error(`${String(m.failed)} of ${String(m.done)} requests failed`));
      else resolve((m.done * 1000) / m.ms);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

async function baselineServer(): Promise<LoopbackServer> {
  const body = JSON.stringify({
    AccessKeyId: "A",
    SecretAccessKey: "S",
    Token: "T",
    Expiration: "E",
  });
  const handler: RequestListener = (_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
    res.end(body);
  };
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen({ host: "127.0.0.1", port: 0 }, r));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  const url = `http://127.0.0.1:${String(address.port)}`;
  return {
    port: address.port,
    url,
    close: () =>
      new Promise((r) => {
        server.close(() => {
          r();
        });
        server.closeAllConnections();
      }),
  };
}

const clock = systemClock;
const creds = {
  accessKeyId: "ASIABENCH00000000001",
  secretAccessKey: "bench/secret/bench/secret/bench/secret/0",
  sessionToken: "bench-session-token-".repeat(20),
  expiration: new Date(clock.now() + 3_600_000),
};
const profile = refreshingCredentials({
  clock,
  fetch: () => Promise.resolve(creds),
  warn: () => undefined,
});
await profile.get();
const token = newServerToken();
const quiet = () => undefined;
const container = await listenLoopback((port) =>
  containerHandler({
    port,
    token,
    profile,
    roles: roleCredentials({
      clock,
      base: profile,
      assumeRole: () => Promise.resolve(creds),
      warn: quiet,
    }),
    debug: quiet,
    warn: quiet,
  }),
);
const tokens = imdsTokens(clock);
const imdsToken = tokens.issue(21600);
const imds = await listenLoopback((port) =>
  imdsHandler({
    port,
    clock,
    tokens,
    profile,
    identity: {
      roleName: "awsmfa-bench",
      accountId: "111111111111",
      region: "us-east-1",
      instanceId: "i-0",
    },
    debug: quiet,
    warn: quiet,
  }),
);
const baseline = await baselineServer();

const subjects = [
  { name: "bare node http (constant body)", url: `${baseline.url}/`, headers: {} },
  {
    name: "exec --server (token, Host checks)",
    url: `${container.url}/`,
    headers: { Authorization: token.value },
  },
  {
    name: "exec --ec2-server (IMDSv2 credentials)",
    url: `${imds.url}/latest/meta-data/iam/security-credentials/awsmfa-bench`,
    headers: { "x-aws-ec2-metadata-token": imdsToken },
  },
];
const results = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const s of subjects) {
    const host = new URL(s.url).host;
    results.get(s.name)?.push(await load(s.url, { ...s.headers, Host: host }));
  }
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
const base = median(results.get(subjects[0]?.name ?? "") ?? []);
process.stdout.write(
  `${String(REQUESTS)} requests x ${String(ROUNDS)} rounds, ${String(CONNECTIONS)} keep-alive connections, load from a worker thread\n`,
);
for (const s of subjects) {
  const m = median(results.get(s.name) ?? []);
  process.stdout.write(
    `${s.name.padEnd(42)} ${Math.round(m).toString().padStart(7)} req/s  ${(m / base).toFixed(2)}x baseline\n`,
  );
}
await Promise.all([container.close(), imds.close(), baseline.close()]);
