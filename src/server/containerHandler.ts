/**
 * The container-credentials server (`exec --server`, `--ecs-server`): the
 * endpoint AWS_CONTAINER_CREDENTIALS_FULL_URI points the SDKs at.
 *
 *   GET /                  the profile's credentials
 *   GET /role-arn/<ARN>    that role, assumed from the profile's credentials
 *
 * Order of checks (each refusal says nothing about the next): loopback
 * connection, Host and Origin (requestGuard.ts); the token (403 and an
 * empty body for a wrong or missing one); then the method and the path.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { isAwsmfaError } from "../errors.ts";
import { containerCredentialsBody } from "./credentialShapes.ts";
import { describe, errorBody, forbidden, reply } from "./reply.ts";
import { refusal } from "./requestGuard.ts";
import type { RoleCredentials } from "./roleCredentials.ts";
import type { CredentialSource, ServedCredentials } from "./servedCredentials.ts";
import type { ServerToken } from "./token.ts";

export interface ContainerHandlerDeps {
  readonly port: number;
  readonly token: ServerToken;
  readonly profile: CredentialSource;
  readonly roles: RoleCredentials;
  /** A request was refused (the reason; never the token). */
  readonly debug: (message: string) => void;
  /** Credentials could not be fetched for a client. */
  readonly warn: (message: string) => void;
}

const ROLE_PREFIX = "/role-arn/";

export function containerHandler(deps: ContainerHandlerDeps): RequestListener {
  // The JSON of the credentials last served, so a busy client costs no
  // serialisation: the same object comes back until a refresh.
  const bodies = new WeakMap<ServedCredentials, string>();
  const body = (c: ServedCredentials): string => {
    let b = bodies.get(c);
    if (b === undefined) {
      b = containerCredentialsBody(c);
      bodies.set(c, b);
    }
    return b;
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req, deps.port);
    if (refused !== undefined) {
      deps.debug(`refused a request to the credential server: ${refused}`);
      forbidden(res);
      return;
    }
    if (!deps.token.matches(req.headers.authorization)) {
      deps.debug("refused a request to the credential server: wrong or missing token");
      forbidden(res);
      return;
    }
    if (req.method !== "GET") {
      reply(res, 405, errorBody("Only GET is served."), "application/json", { Allow: "GET" });
      return;
    }
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    let creds: Promise<ServedCredentials>;
    if (path === "/") {
      creds = deps.profile.get();
    } else if (path.startsWith(ROLE_PREFIX)) {
      let arn: string;
      try {
        arn = decodeURIComponent(path.slice(ROLE_PREFIX.length));
      } catch {
        reply(res, 400, errorBody("The role ARN in the path is not valid URL encoding."));
        return;
      }
      creds = deps.roles.get(arn);
    } else {
      reply(res, 404, errorBody("Not found: ask for / or /role-arn/<ARN>."));
      return;
    }
    creds.then(
      (c) => {
        reply(res, 200, body(c));
      },
      (e: unknown) => {
        const bad = isAwsmfaError(e) && e.code === "E_BAD_ROLE_ARN";
        const message = describe(e);
        if (!bad) deps.warn(`could not serve credentials: ${message}`);
        reply(res, bad ? 400 : 500, errorBody(message));
      },
    );
  };
}
