/** PUT sys/leases/revoke: Vault deletes an iam_user lease's user and keys (STS credentials stay valid until they expire). */
import { callVault, type CallVaultContext } from "./callVault.ts";

export async function revokeLease(
  ctx: CallVaultContext,
  token: string,
  leaseId: string,
): Promise<void> {
  await callVault(ctx, {
    method: "PUT",
    path: "sys/leases/revoke",
    token,
    body: { lease_id: leaseId },
  });
}
