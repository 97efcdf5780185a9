import { iamFactory } from "../../aws/iamFactory.ts";
import { resolveIamEndpoint } from "../../aws/iamEndpoint.ts";
import type { AwsCredentials } from "../../aws/StsClient.ts";
import { stsFactory } from "../../aws/stsFactory.ts";
import type { ProfileConfig } from "../../config/types.ts";
import { planCredentials } from "../../credentials/getCredentials.ts";
import { planPartition } from "../../credentials/planPartition.ts";
import type { CredentialPlan } from "../../credentials/plan/types.ts";
import { rotateKeys } from "../../credentials/rotateKeys.ts";
import { AwsmfaError, isAwsmfaError, redactKeyId } from "../../errors.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { credentialRequest } from "../credentialFlags.ts";
import { openEngine, type EngineSession } from "../engine.ts";

export const usage = `Usage: awsmfa rotate [<profile>] [-t CODE] [-n]

Replaces the access key stored for a profile (or for the profile its chain
takes its keys from) with a new one:
  1. checks the IAM user has one key only (IAM allows two),
  2. creates a new key and stores it,
  3. proves it works (GetCallerIdentity, retried while IAM spreads it),
  4. drops the cached sessions made with the old key,
  5. deletes the old key.
When a step fails, it rolls back: the new key is deleted and the old one
stays stored and active.

IAM calls are signed with an MFA session when the profile holding the keys
(or one using them) has mfa_serial, so a policy that wants MFA lets them
through.

  -t, --mfa-token C   the MFA code, instead of asking on the terminal
  -n, --no-session    sign the IAM calls with the old key itself, no MFA session
`;

export const options = {
  "mfa-token": { type: "string", short: "t" },
  "no-session": { type: "boolean", short: "n" },
} as const;

export async function run(input: CommandInput): Promise<number> {
  const { ctx, debug } = input;
  const { values, positionals } = parseCommandArgs("rotate", input.argv, options);
  atMostPositionals("rotate", positionals, 1);
  const req = await credentialRequest(
    "rotate",
    positionals[0],
    values["mfa-token"] === undefined ? {} : { "mfa-token": values["mfa-token"] },
    input,
  );
  const engine = await openEngine(input);
  const storedKeys = new Set((await engine.store.list("keys")).map((r) => r.name));
  const planFor = (profile: string) =>
    planCredentials(engine.config, { profile }, { storedKeys, env: ctx.env });
  const plan = planFor(req.profile);
  if (plan.source.kind !== "stored-keys") {
    throw new AwsmfaError(
      "E_ROTATE_NOT_STORED",
      `rotate: profile '${req.profile}' gets its keys from ${describeSource(plan)}, not from the awsmfa store.`,
      {
        hint:
          plan.source.kind === "static-keys"
            ? "Move them into the store first ('awsmfa migrate'), then rotate."
            : "Only keys stored with 'awsmfa add' can be rotated.",
      },
    );
  }
  const keysProfile = plan.source.profile;
  if (keysProfile !== req.profile)
    debug(`rotating the keys of ${keysProfile}, which ${req.profile} uses`);

  const signer = await iamSigner(input, engine, planFor, plan, keysProfile, {
    noSession: values["no-session"] === true,
    mfaToken: req.mfaToken,
  });
  const partition = planPartition(plan, plan.region);
  const profiles = plan.chain.flatMap((n): ProfileConfig[] => {
    const p = engine.config.profiles.get(n);
    return p === undefined ? [] : [p];
  });
  const iamEndpoint = resolveIamEndpoint(ctx.env, engine.config, profiles, partition);
  debug(`IAM at ${iamEndpoint.url} (${iamEndpoint.from}), signed for ${iamEndpoint.region}`);

  const result = await rotateKeys(
    {
      store: engine.store,
      clock: ctx.clock,
      sleep: (ms) =>
        new Promise((resolve) => {
          setTimeout(resolve, ms);
        }),
      iam: iamFactory({
        credentials: signer,
        region: iamEndpoint.region,
        endpoint: iamEndpoint.url,
      }),
      callerIdentity: (keys) =>
        stsFactory({
          credentials: keys,
          region: plan.stsRegion,
          endpoint: plan.endpoint.url,
        }).getCallerIdentity(),
      debug,
      step: (message) => {
        ctx.stderr(`awsmfa: ${message}...\n`);
      },
    },
    { profile: keysProfile },
  );
  const also = result.profiles.filter((p) => p !== keysProfile);
  ctx.stderr(
    `awsmfa: rotated the access key of profile '${keysProfile}' (IAM user ${result.userName}): ${redactKeyId(result.oldKeyId)} deleted, ${redactKeyId(result.newKeyId)} stored and working.\n` +
      (also.length === 0
        ? ""
        : `  Profiles ${also.join(", ")} held the same key and now hold the new one.\n`) +
      `  Dropped ${String(result.clearedSessions.length)} cached session${result.clearedSessions.length === 1 ? "" : "s"} made with the old key.\n`,
  );
  return 0;
}

/**
 * What signs the IAM calls: an MFA session when a profile asks for one with
 * these keys (a policy that wants MFA then lets IAM through), else the old
 * key itself.
 */
async function iamSigner(
  input: CommandInput,
  engine: EngineSession,
  planFor: (profile: string) => CredentialPlan,
  plan: CredentialPlan,
  keysProfile: string,
  how: { readonly noSession: boolean; readonly mfaToken: string | undefined },
): Promise<AwsCredentials> {
  const { mfaToken } = how;
  if (!how.noSession) {
    // The holder of the keys first (its own mfa_serial), then the profiles
    // between it and the one asked for: the first whose plan ends in a
    // GetSessionToken with MFA signed with these keys.
    for (const candidate of [keysProfile, ...[...plan.chain].reverse()]) {
      let candidatePlan: CredentialPlan;
      try {
        candidatePlan = planFor(candidate);
      } catch (e) {
        // A profile of the chain that does not plan on its own (the chain
        // as a whole did) cannot be the one; anything else is a bug.
        if (!isAwsmfaError(e)) throw e;
        input.debug(`not signing IAM calls as ${candidate}: ${e.message}`);
        continue;
      }
      const last = candidatePlan.steps.at(-1);
      if (
        last?.kind === "session" &&
        last.mfa !== undefined &&
        last.sourceProfile === keysProfile
      ) {
        input.debug(`signing IAM calls with the MFA session of ${candidate} (${last.mfa.serial})`);
        const creds = await engine.resolve({
          profile: candidate,
          ...(mfaToken === undefined ? {} : { mfaToken }),
        });
        return creds.sessionToken === undefined
          ? { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }
          : {
              accessKeyId: creds.accessKeyId,
              secretAccessKey: creds.secretAccessKey,
              sessionToken: creds.sessionToken,
            };
      }
    }
    input.debug(
      `no profile asks for an MFA session with ${keysProfile}'s keys: signing IAM calls with the keys`,
    );
  }
  if (mfaToken !== undefined) {
    input.ctx.stderr(
      `awsmfa: warning: --mfa-token is not used: ${how.noSession ? "--no-session signs IAM calls with the key itself" : `no profile sets mfa_serial for the keys of '${keysProfile}'`}. The code was not sent.\n`,
    );
  }
  const creds = await engine.resolve({ profile: keysProfile, noSession: true });
  return { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
}

function describeSource(plan: CredentialPlan): string {
  const s = plan.source;
  if (s.kind === "static-keys") return `plain-text keys in ${s.where.file} (profile ${s.profile})`;
  if (s.kind === "credential-process") return `credential_process (profile ${s.profile})`;
  return `the store (profile ${s.profile})`;
}
