/**
 * An iam_user lease is a brand-new IAM user and access key; IAM takes
 * seconds to let STS see it (Vault's docs warn of 5-10 s), so handing it
 * out at once makes the first AWS call fail. Ask STS who we are until it
 * knows the key, a bounded number of times.
 */
import type { AwsCredentials, StsClient } from "../aws/StsClient.ts";
import { StsError } from "../aws/StsError.ts";
import { AwsmfaError, redactKeyId } from "../errors.ts";

/** Waits between attempts: ~30 s in all before giving up. */
export const USABLE_BACKOFF_MS: readonly number[] = [
  500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 7000,
];

export async function waitUntilUsable(
  sts: StsClient,
  creds: AwsCredentials,
  who: string,
  sleep: (ms: number) => Promise<void>,
  debug: (m: string) => void,
  backoffMs: readonly number[] = USABLE_BACKOFF_MS,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const id = await sts.getCallerIdentity();
      debug(
        `the Vault-issued key ${redactKeyId(creds.accessKeyId)} works at STS (${id.arn}) after ${String(attempt + 1)} attempt(s)`,
      );
      return;
    } catch (e) {
      const notYet = e instanceof StsError && e.kind === "invalid-client-token";
      const wait = backoffMs[attempt];
      if (!notYet) throw e;
      if (wait === undefined) {
        throw new AwsmfaError(
          "E_VAULT_KEY_NOT_USABLE",
          `The access key ${redactKeyId(creds.accessKeyId)} Vault issued for ${who} is still unknown to STS after ${String(backoffMs.length + 1)} attempts.`,
          {
            hint: "IAM may be slow to let STS see a new user; run the command again in a minute.",
            cause: e,
          },
        );
      }
      debug(
        `STS does not know the new key ${redactKeyId(creds.accessKeyId)} yet (IAM eventual consistency); trying again in ${String(wait)} ms`,
      );
      await sleep(wait);
    }
  }
}
