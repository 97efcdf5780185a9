import { usageError } from "../../errors.ts";
import { forceMfaPolicy, formatPolicy } from "../../iam/forceMfaPolicy.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";

export const usage = `Usage: awsmfa policy force-mfa

Prints an IAM policy (JSON) that denies everything except MFA self-service
and sts:GetSessionToken until the caller has signed in with MFA. Attach it,
beside the user's real permissions, to the users or group that must use MFA:

  awsmfa policy force-mfa > force-mfa.json
  aws iam create-policy --policy-name ForceMFA --policy-document file://force-mfa.json

It is AWS's documented self-service MFA policy ("IAM: Allows IAM users to
self-manage an MFA device"), plus GetSessionToken and GetUser as in AWS's IAM
tutorial, plus deleting one's own unassigned device so that a failed
'awsmfa mfa enroll' can clean up.

Why BoolIfExists and not the policy many guides copy:

  "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "false" } }

does NOT deny long-term access keys. A request signed with long-term keys
carries no aws:MultiFactorAuthPresent key at all, and a plain Bool condition
on a missing key does not match, so the Deny never applies: the keys keep
every permission, MFA or not. Only sessions from GetSessionToken without MFA
(which carry the key, set to false) are denied. BoolIfExists matches when
the key is missing too, so it denies long-term keys and MFA-less sessions
alike, and only a session with MFA gets through.
`;

const POLICIES = ["force-mfa"] as const;

export const options = {} as const;

export function run(input: CommandInput): Promise<number> {
  const { positionals } = parseCommandArgs("policy", input.argv, options);
  atMostPositionals("policy", positionals, 1);
  const which = positionals[0];
  if (which === undefined) {
    throw usageError(
      "policy: which policy? The one there is: force-mfa.",
      "Run 'awsmfa policy force-mfa'.",
    );
  }
  if (which !== "force-mfa") {
    throw usageError(
      `policy: unknown policy '${which}'; known: ${POLICIES.join(", ")}.`,
      "Run 'awsmfa policy --help' for what it prints.",
    );
  }
  input.ctx.stdout(formatPolicy(forceMfaPolicy()));
  return Promise.resolve(0);
}
