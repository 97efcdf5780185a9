/**
 * One call to Vault's HTTP API (node:http / node:https, no dependency):
 * X-Vault-Token and X-Vault-Namespace headers, a JSON body, bounded waits.
 * Answers with the status and the parsed JSON; vaultErrors.ts turns a
 * failed one into a message. The token is only ever a header.
 */
import { readFile } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { AwsmfaError } from "../errors.ts";
import type { VaultServer } from "./vaultTarget.ts";

export interface VaultTimeouts {
  /** Until the TCP (and TLS) connection is up. */
  readonly connectMs: number;
  /** The whole call: from sending until the answer is read. */
  readonly requestMs: number;
}

export const DEFAULT_VAULT_TIMEOUTS: VaultTimeouts = { connectMs: 5_000, requestMs: 15_000 };

export interface VaultCall {
  readonly method: "GET" | "PUT" | "POST";
  /** After /v1/, e.g. "aws/creds/ec2". */
  readonly path: string;
  readonly token: string | undefined;
  readonly body?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly timeouts?: VaultTimeouts;
}

export interface VaultAnswer {
  readonly status: number;
  /** The parsed JSON body; undefined when empty or not JSON. */
  readonly json: unknown;
}

export async function vaultRequest(server: VaultServer, call: VaultCall): Promise<VaultAnswer> {
  const url = new URL(`${server.addr}/v1/${call.path}`);
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AwsmfaError(
      "E_VAULT_ADDR",
      `The Vault address ${server.addr} is not an http(s) URL.`,
      {
        hint: "Set vault_addr or VAULT_ADDR to a URL such as https://vault.example:8200.",
      },
    );
  }
  const timeouts = call.timeouts ?? DEFAULT_VAULT_TIMEOUTS;
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (call.token !== undefined) headers["x-vault-token"] = call.token;
  if (server.namespace !== undefined) headers["x-vault-namespace"] = server.namespace;
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  const ca =
    url.protocol === "https:" && server.tls.caCertFile !== undefined
      ? await readCa(server.tls.caCertFile)
      : undefined;
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const what = `${call.method} ${server.addr}/v1/${call.path}`;
  return new Promise<VaultAnswer>((resolve, reject) => {
    let settled = false;
    const fail = (e: AwsmfaError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      req.destroy();
      reject(e);
    };
    const req = send(url, {
      method: call.method,
      headers,
      ...(url.protocol === "https:"
        ? { rejectUnauthorized: !server.tls.skipVerify, ...(ca === undefined ? {} : { ca }) }
        : {}),
    });
    const total = setTimeout(() => {
      fail(unreachable(server, what, `no answer within ${String(timeouts.requestMs / 1000)} s`));
    }, timeouts.requestMs);
    req.on("socket", (socket) => {
      const connect = setTimeout(() => {
        fail(
          unreachable(server, what, `no connection within ${String(timeouts.connectMs / 1000)} s`),
        );
      }, timeouts.connectMs);
      const up = (): void => {
        clearTimeout(connect);
      };
      socket.once(url.protocol === "https:" ? "secureConnect" : "connect", up);
      socket.once("close", up);
    });
    req.on("error", (e) => {
      fail(networkError(server, what, e));
    });
    req.on("response", (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (e) => {
        fail(networkError(server, what, e));
      });
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(total);
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.end(body);
  });
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new AwsmfaError(
      "E_VAULT_CACERT",
      `Cannot read VAULT_CACERT ${file}: ${e instanceof Error ? e.message : String(e)}.`,
      { hint: "Point VAULT_CACERT at the PEM file of the CA that signed Vault's certificate." },
    );
  }
}

function unreachable(server: VaultServer, what: string, why: string): AwsmfaError {
  return new AwsmfaError(
    "E_VAULT_UNREACHABLE",
    `Vault at ${server.addr} did not answer (${why}; ${what}).`,
    {
      hint: "Check vault_addr / VAULT_ADDR, the network (VPN?) and that Vault is running.",
    },
  );
}

function networkError(server: VaultServer, what: string, e: Error): AwsmfaError {
  const code: unknown = Reflect.get(e, "code");
  const c = typeof code === "string" ? code : "";
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME/.test(c)) {
    return new AwsmfaError(
      "E_VAULT_TLS",
      `Vault at ${server.addr}: its TLS certificate was not accepted (${c || e.message}).`,
      {
        hint: "Set VAULT_CACERT to the PEM file of its CA (VAULT_SKIP_VERIFY=1 turns the check off, which lets anyone on the way read your credentials).",
      },
    );
  }
  return unreachable(server, what, c === "" ? e.message : c);
}
