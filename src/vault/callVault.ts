/**
 * A Vault call that must succeed: its JSON on 2xx, else one clear error.
 * A 403 may mean "this token's policies do not allow the path" or "this
 * token is expired": Vault says "permission denied" for both, so the token
 * is looked up (auth/token/lookup-self) to tell which one to report.
 */
import { vaultFailure, type TokenOrigin } from "./vaultErrors.ts";
import { vaultRequest, type VaultCall } from "./vaultRequest.ts";
import type { VaultServer } from "./vaultTarget.ts";

export interface CallVaultContext {
  readonly server: VaultServer;
  /** Who asks, for messages ("profile vault-ec2"). */
  readonly who: string;
  readonly tokenFrom: TokenOrigin | undefined;
}

export async function callVault(ctx: CallVaultContext, call: VaultCall): Promise<unknown> {
  const answer = await vaultRequest(ctx.server, call);
  if (answer.status >= 200 && answer.status < 300) return answer.json;
  let tokenValid: boolean | undefined;
  if ((answer.status === 403 || answer.status === 401) && call.token !== undefined) {
    const self = await vaultRequest(ctx.server, {
      method: "GET",
      path: "auth/token/lookup-self",
      token: call.token,
      ...(call.timeouts === undefined ? {} : { timeouts: call.timeouts }),
    });
    tokenValid = self.status >= 200 && self.status < 300;
  }
  throw vaultFailure(answer, {
    server: ctx.server,
    path: call.path,
    who: ctx.who,
    token: ctx.tokenFrom,
    ...(tokenValid === undefined ? {} : { tokenValid }),
  });
}
