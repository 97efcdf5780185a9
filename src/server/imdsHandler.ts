/**
 * The EC2 instance metadata server (`exec --ec2-server`), the paths the
 * SDKs probe, IMDSv2 only: a read without a token from
 * `PUT /latest/api/token` gets 401, as on an instance with
 * HttpTokens=required (a GET-only request forgery in the child cannot read
 * credentials). Refused first, as the container server: a connection from
 * elsewhere, a Host that is neither loopback nor 169.254.169.254 (the
 * documented alias), an Origin header.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Clock } from "../platform/clock.ts";
import { imdsCredentialsBody } from "./credentialShapes.ts";
import { isoSeconds } from "../platform/isoSeconds.ts";
import type { ImdsTokens } from "./imdsTokens.ts";
import { MAX_TTL_SECONDS } from "./imdsTokens.ts";
import { describe, errorBody, forbidden, reply } from "./reply.ts";
import { refusal } from "./requestGuard.ts";
import type { CredentialSource, ServedCredentials } from "./servedCredentials.ts";

export const IMDS_ALIAS = "169.254.169.254";
const TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER = "x-aws-ec2-metadata-token";
const CREDS_PATH = "/latest/meta-data/iam/security-credentials/";

export interface ImdsIdentity {
  /** The name under iam/security-credentials/ (the "instance role"). */
  readonly roleName: string;
  readonly accountId: string;
  /** Served only when known: an SDK would otherwise take it as the region. */
  readonly region: string | undefined;
  readonly instanceId: string;
}

export interface ImdsHandlerDeps {
  readonly port: number;
  readonly clock: Clock;
  readonly tokens: ImdsTokens;
  readonly profile: CredentialSource;
  readonly identity: ImdsIdentity;
  readonly debug: (message: string) => void;
  readonly warn: (message: string) => void;
}

export function imdsHandler(deps: ImdsHandlerDeps): RequestListener {
  const { identity } = deps;
  const started = new Date(deps.clock.now());
  // The body per credentials object, made when first served (its
  // LastUpdated): a busy client costs no serialisation.
  const bodies = new WeakMap<ServedCredentials, string>();
  const text = (res: ServerResponse, body: string) => {
    reply(res, 200, body, "text/plain");
  };
  const json = (res: ServerResponse, value: unknown) => {
    reply(res, 200, JSON.stringify(value), "text/plain");
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req, deps.port, [IMDS_ALIAS]);
    if (refused !== undefined) {
      deps.debug(`refused a request to the metadata server: ${refused}`);
      forbidden(res);
      return;
    }
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    if (path === "/latest/api/token") {
      if (req.method !== "PUT") {
        reply(res, 405, "", "text/plain", { Allow: "PUT" });
        return;
      }
      // EC2 refuses token requests that went through a proxy.
      if (req.headers["x-forwarded-for"] !== undefined) {
        forbidden(res);
        return;
      }
      const ttl = Number(req.headers[TTL_HEADER]);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
        reply(res, 400, "", "text/plain");
        return;
      }
      reply(res, 200, deps.tokens.issue(ttl), "text/plain", { [TTL_HEADER]: String(ttl) });
      return;
    }
    const token = req.headers[TOKEN_HEADER];
    if (!deps.tokens.valid(typeof token === "string" ? token : undefined)) {
      reply(res, 401, "", "text/plain");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      reply(res, 405, "", "text/plain", { Allow: "GET" });
      return;
    }
    switch (path) {
      case "/latest/meta-data/":
        text(res, "iam/\ninstance-id\nplacement/");
        return;
      case "/latest/meta-data/instance-id":
        text(res, identity.instanceId);
        return;
      case "/latest/meta-data/iam/info":
        json(res, {
          Code: "Success",
          LastUpdated: isoSeconds(started),
          InstanceProfileArn: `arn:aws:iam::${identity.accountId}:instance-profile/${identity.roleName}`,
          InstanceProfileId: "AIPAAWSMFALOCALSERVER",
        });
        return;
      case "/latest/meta-data/iam/security-credentials":
      case CREDS_PATH:
        text(res, identity.roleName);
        return;
      case "/latest/dynamic/instance-identity/document":
        json(res, {
          accountId: identity.accountId,
          architecture: process.arch === "arm64" ? "arm64" : "x86_64",
          availabilityZone: identity.region === undefined ? undefined : `${identity.region}a`,
          imageId: "ami-00000000000000000",
          instanceId: identity.instanceId,
          instanceType: "awsmfa.local",
          pendingTime: isoSeconds(started),
          privateIp: "127.0.0.1",
          region: identity.region,
          version: "2017-09-30",
        });
        return;
    }
    if (identity.region !== undefined) {
      if (path === "/latest/meta-data/placement/region") {
        text(res, identity.region);
        return;
      }
      if (path === "/latest/meta-data/placement/availability-zone") {
        text(res, `${identity.region}a`);
        return;
      }
    }
    if (path === CREDS_PATH + identity.roleName) {
      deps.profile.get().then(
        (c) => {
          let body = bodies.get(c);
          if (body === undefined) {
            body = imdsCredentialsBody(c, new Date(deps.clock.now()));
            bodies.set(c, body);
          }
          reply(res, 200, body, "text/plain");
        },
        (e: unknown) => {
          const message = describe(e);
          deps.warn(`could not serve credentials: ${message}`);
          reply(res, 500, errorBody(message));
        },
      );
      return;
    }
    reply(res, 404, "", "text/plain");
  };
}
