/** One step's STS call (GetSessionToken or AssumeRole), signed with the credentials before it. */
import type { AwsCredentials, TemporaryCredentials } from "../aws/StsClient.ts";
import { redactKeyId } from "../errors.ts";
import { formatDuration } from "./durations.ts";
import type { CredentialPlan, PlanStep } from "./plan/types.ts";
import type { EngineDeps } from "./types.ts";

export function callSts(
  deps: EngineDeps,
  plan: CredentialPlan,
  step: PlanStep,
  creds: AwsCredentials,
  code: string | undefined,
): Promise<TemporaryCredentials> {
  const client = deps.sts({
    credentials: creds,
    region: plan.stsRegion,
    endpoint: plan.endpoint.url,
    ...(deps.stsTimeouts === undefined ? {} : { timeouts: deps.stsTimeouts }),
  });
  const mfa =
    step.mfa === undefined || code === undefined
      ? {}
      : { serialNumber: step.mfa.serial, tokenCode: code };
  deps.debug(
    `calling ${step.kind === "session" ? "GetSessionToken" : `AssumeRole ${step.roleArn}`} with key ${redactKeyId(creds.accessKeyId)}${code === undefined ? "" : " and an MFA code"}, ${formatDuration(step.duration.seconds)}`,
  );
  if (step.kind === "session") {
    return client.getSessionToken({ durationSeconds: step.duration.seconds, ...mfa });
  }
  return client.assumeRole({
    roleArn: step.roleArn,
    roleSessionName: step.roleSessionName,
    durationSeconds: step.duration.seconds,
    ...mfa,
    ...(step.externalId === undefined ? {} : { externalId: step.externalId }),
    ...(step.sourceIdentity === undefined ? {} : { sourceIdentity: step.sourceIdentity }),
    ...(step.tags.length === 0 ? {} : { tags: step.tags }),
    ...(step.transitiveTagKeys.length === 0 ? {} : { transitiveTagKeys: step.transitiveTagKeys }),
  });
}
