/**
 * A Vault answer that is not a success, as one message with a hint. Vault
 * says what went wrong in {"errors": [...]}; the status says what kind.
 * The messages name the path and the address, never the token.
 */
import { AwsmfaError } from "../errors.ts";
import type { VaultAnswer } from "./vaultRequest.ts";
import type { VaultServer } from "./vaultTarget.ts";

/** Where the token came from, as said in messages ("VAULT_TOKEN", "~/.vault-token", ...). */
export type TokenOrigin = "VAULT_TOKEN" | "BAO_TOKEN" | "~/.vault-token" | "the awsmfa store";

/** The strings in {"errors": [...]}, joined; "" when there are none. */
export function vaultErrorText(json: unknown): string {
  const errors: unknown =
    typeof json === "object" && json !== null ? Reflect.get(json, "errors") : undefined;
  if (!Array.isArray(errors)) return "";
  return errors
    .filter((e): e is string => typeof e === "string")
    .map((e) => e.trim().replace(/\s+/g, " ").slice(0, 300))
    .join("; ");
}

export function loginHint(server: VaultServer): string {
  return `Log in again: 'awsmfa vault login' (or 'vault login' with VAULT_ADDR=${server.addr}).`;
}

export interface FailureContext {
  readonly server: VaultServer;
  /** After /v1/. */
  readonly path: string;
  /** Who asks, for the message ("profile vault-ec2"). */
  readonly who: string;
  readonly token: TokenOrigin | undefined;
  /** false when lookup-self refused the token too (expired or revoked). */
  readonly tokenValid?: boolean;
}

export function vaultFailure(answer: VaultAnswer, ctx: FailureContext): AwsmfaError {
  const { server, path, who } = ctx;
  const said = vaultErrorText(answer.json);
  const detail = said === "" ? "" : `: ${said}`;
  const where = `${server.addr}/v1/${path}${server.namespace === undefined ? "" : ` (namespace ${server.namespace})`}`;
  switch (answer.status) {
    case 400:
      if (/sts/i.test(path) && /sts|role|managed polic|credential.?type/i.test(said)) {
        return new AwsmfaError(
          "E_VAULT_WRONG_TYPE",
          `Vault cannot give STS credentials for ${path} (${who})${detail}.`,
          {
            hint: `The Vault role's credential_type is iam_user: use vault_path = ${path.replace(/\/sts\//, "/creds/")}, or give the role an assumed_role / federation_token / session_token type.`,
          },
        );
      }
      return new AwsmfaError(
        "E_VAULT_BAD_REQUEST",
        `Vault refused the request for ${where} (${who})${detail}.`,
        {
          hint: "Check vault_ttl and vault_role_arn against what the Vault role allows.",
        },
      );
    case 401:
    case 403:
      if (ctx.token === undefined) {
        return new AwsmfaError(
          "E_VAULT_NO_TOKEN",
          `Vault wants a token for ${where} (${who}), and there is none.`,
          {
            hint: loginHint(server),
          },
        );
      }
      if (ctx.tokenValid === false) {
        return new AwsmfaError(
          "E_VAULT_TOKEN_EXPIRED",
          `The Vault token from ${ctx.token} is expired or revoked (${server.addr}, ${who}).`,
          {
            hint:
              ctx.token === "VAULT_TOKEN" || ctx.token === "BAO_TOKEN"
                ? `Unset ${ctx.token} or set it to a new token; ${loginHint(server)}`
                : loginHint(server),
          },
        );
      }
      return new AwsmfaError(
        "E_VAULT_DENIED",
        `Vault denied ${where} to the token from ${ctx.token} (${who})${detail}.`,
        {
          hint: `The token's policies must allow "${path}" (capabilities ${path.includes("/sts/") ? '["update"]' : '["read"]'}); ask your Vault administrator, or log in as someone whose policies do.`,
        },
      );
    case 404:
      return new AwsmfaError("E_VAULT_NOT_FOUND", `Vault has no ${where} (${who})${detail}.`, {
        hint: "Check vault_path: the mount (e.g. aws), creds or sts, and a role that exists ('vault list aws/roles').",
      });
    case 503:
      if (/sealed/i.test(said)) {
        return new AwsmfaError("E_VAULT_SEALED", `Vault at ${server.addr} is sealed (${who}).`, {
          hint: "An operator has to unseal it ('vault operator unseal'); try again afterwards.",
        });
      }
      return new AwsmfaError(
        "E_VAULT_UNAVAILABLE",
        `Vault at ${server.addr} is not available (${who})${detail}.`,
        {
          hint: "It may be on standby or in maintenance; try again shortly.",
        },
      );
    default:
      return new AwsmfaError(
        "E_VAULT_FAILED",
        `Vault answered ${String(answer.status)} for ${where} (${who})${detail}.`,
        { hint: "Run the same read with the vault CLI to see more." },
      );
  }
}
