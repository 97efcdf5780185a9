/**
 * `awsmfa vault login`: sign in to Vault / OpenBao and keep the token in
 * the awsmfa store (encrypted, never in a plain file or argv), for the
 * profiles with vault_path when neither VAULT_TOKEN nor ~/.vault-token
 * gives one.
 */
import { AwsmfaError, usageError } from "../../errors.ts";
import { nonBlank, type Env } from "../../platform/env.ts";
import { formatDuration } from "../../credentials/durations.ts";
import { checkToken, userpassLogin, type LoggedIn } from "../../vault/vaultLogin.ts";
import { vaultServer } from "../../vault/vaultTarget.ts";
import { storedTokenValue, tokenItemName } from "../../vault/vaultToken.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { openSecretStore } from "../services.ts";

export const usage = `Usage: awsmfa vault login [--method userpass|token] [--address URL] [--namespace NS] [--username NAME] [--env]

Signs in to HashiCorp Vault / OpenBao and stores the token in the awsmfa
store, for profiles with vault_path (used when VAULT_TOKEN, BAO_TOKEN and
~/.vault-token give none).

  --method userpass   (default) asks for the password on the terminal
  --method token      asks for a token on the terminal and checks it
  --address URL       default: VAULT_ADDR, else BAO_ADDR
  --namespace NS      default: VAULT_NAMESPACE
  --username NAME     default: USER
  --env               read the password (userpass) from VAULT_PASSWORD, or the
                      token from VAULT_TOKEN, instead of the terminal
`;

export const options = {
  method: { type: "string" },
  address: { type: "string" },
  namespace: { type: "string" },
  username: { type: "string" },
  env: { type: "boolean" },
} as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("vault", input.argv, options);
  atMostPositionals("vault", positionals, 1);
  if (positionals[0] !== "login") {
    throw usageError(
      positionals[0] === undefined
        ? "vault: which subcommand? The one there is: login."
        : `vault: unknown subcommand '${positionals[0]}'; the one there is: login.`,
      "Run 'awsmfa vault login --help'.",
    );
  }
  const method = values.method ?? "userpass";
  if (method !== "userpass" && method !== "token") {
    throw usageError(`vault login: --method is '${method}'; use userpass or token.`);
  }
  const { ctx } = input;
  const server = vaultServer(ctx.env, values.address, values.namespace, "vault login");
  if (server.tls.skipVerify) {
    ctx.stderr(
      `awsmfa: warning: VAULT_SKIP_VERIFY is set: Vault's TLS certificate at ${server.addr} is not checked, so anyone on the way can read your password and token. Set VAULT_CACERT instead.\n`,
    );
  }
  const store = await openSecretStore(input);
  const username = nonBlank(values.username) ?? nonBlank(ctx.env.USER) ?? "";
  if (method === "userpass" && username === "") {
    throw usageError("vault login: which user? Give --username NAME.");
  }
  const secret =
    values.env === true
      ? fromEnv(ctx.env, method)
      : await ask(
          method === "userpass" ? `Vault password for ${username}: ` : "Vault token: ",
          method,
        );
  let got: LoggedIn;
  if (method === "userpass") got = await userpassLogin(server, username, secret);
  else got = await checkToken(server, secret);
  await store.set(
    "vault-token",
    tokenItemName(server),
    storedTokenValue(got.token, new Date(ctx.clock.now()).toISOString()),
  );
  ctx.stderr(
    `Stored a Vault token for ${server.addr}${server.namespace === undefined ? "" : ` (namespace ${server.namespace})`} in the ${store.backend} store${got.ttlSeconds === undefined || got.ttlSeconds === 0 ? "" : `; it lasts ${formatDuration(got.ttlSeconds)}`}.\n`,
  );
  return 0;
}

function fromEnv(env: Env, method: string): string {
  const name = method === "userpass" ? "VAULT_PASSWORD" : "VAULT_TOKEN";
  const v = env[name];
  if (v === undefined || v === "") {
    throw new AwsmfaError("E_VAULT_LOGIN_INPUT", `--env: ${name} is not set.`, {
      hint: `Set ${name}, or leave out --env to be asked on the terminal.`,
    });
  }
  return v;
}

async function ask(question: string, method: string): Promise<string> {
  const { openTty } = await import("../../platform/tty.ts");
  const tty = await openTty({
    purpose: method === "userpass" ? "the Vault password" : "the Vault token",
    hint: `Run again with --env to read ${method === "userpass" ? "VAULT_PASSWORD" : "VAULT_TOKEN"} from the environment.`,
  });
  try {
    const answer = await tty.prompt(question, { hidden: true });
    if (answer === "") {
      throw new AwsmfaError("E_VAULT_LOGIN_INPUT", "Nothing was typed; nothing was stored.", {
        hint: "Run 'awsmfa vault login' again.",
      });
    }
    return answer;
  } finally {
    tty.close();
  }
}
