/**
 * Signing in to Vault for `awsmfa vault login`: userpass (POST
 * auth/userpass/login/:user) or a token checked with auth/token/lookup-self.
 * The token goes to our store only; the password is sent once, in the body.
 */
import { AwsmfaError } from "../errors.ts";
import { callVault } from "./callVault.ts";
import { jsonField } from "./jsonField.ts";
import type { VaultServer } from "./vaultTarget.ts";

export interface LoggedIn {
  readonly token: string;
  /** Seconds the token lives, when Vault says. */
  readonly ttlSeconds: number | undefined;
}

export async function userpassLogin(
  server: VaultServer,
  username: string,
  password: string,
): Promise<LoggedIn> {
  let json: unknown;
  try {
    json = await callVault(
      { server, who: `user ${username}`, tokenFrom: undefined },
      {
        method: "POST",
        path: `auth/userpass/login/${encodeURIComponent(username)}`,
        token: undefined,
        body: { password },
      },
    );
  } catch (e) {
    if (e instanceof AwsmfaError && e.code === "E_VAULT_BAD_REQUEST") {
      throw new AwsmfaError(
        "E_VAULT_LOGIN_FAILED",
        `Vault at ${server.addr} refused the username or password of ${username}.`,
        { hint: "Check both and try again; --method token takes a token instead." },
      );
    }
    throw e;
  }
  const auth = jsonField(json, "auth");
  const token = jsonField(auth, "client_token");
  const ttl = jsonField(auth, "lease_duration");
  if (typeof token !== "string" || token === "") {
    throw new AwsmfaError("E_VAULT_LOGIN_FAILED", `Vault at ${server.addr} gave no token.`, {
      hint: "Is the userpass auth method mounted at auth/userpass?",
    });
  }
  return { token, ttlSeconds: typeof ttl === "number" ? ttl : undefined };
}

/** Checks a token (auth/token/lookup-self) before it is stored. */
export async function checkToken(server: VaultServer, token: string): Promise<LoggedIn> {
  let json: unknown;
  try {
    json = await callVault(
      { server, who: "the token given", tokenFrom: undefined },
      { method: "GET", path: "auth/token/lookup-self", token },
    );
  } catch (e) {
    if (e instanceof AwsmfaError && e.code === "E_VAULT_NO_TOKEN") {
      throw new AwsmfaError(
        "E_VAULT_LOGIN_FAILED",
        `Vault at ${server.addr} does not accept the token given (expired, revoked or mistyped).`,
        {
          hint: "Get a new one ('vault token create', or from your administrator), or use --method userpass.",
        },
      );
    }
    throw e;
  }
  const ttl = jsonField(jsonField(json, "data"), "ttl");
  return { token, ttlSeconds: typeof ttl === "number" ? ttl : undefined };
}
