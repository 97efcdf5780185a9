/**
 * `bootstrap` flags -> BootstrapOptions, each bad value refused with what
 * IAM would say about it and which flag it came from, before anything is
 * printed or created.
 */
import { parseDuration } from "../config/validate.ts";
import { usageError } from "../errors.ts";
import {
  bootstrapPolicyNames,
  DEFAULT_GROUP_NAME,
  DEFAULT_MAX_SESSION,
  DEFAULT_ROLE_NAME,
  DEFAULT_ROLE_POLICY,
  type BootstrapOptions,
} from "./bootstrapTemplate.ts";

/** Role, group and policy names: letters, digits and + = , . @ _ - (IAM's rule). */
const IAM_NAME = /^[\w+=,.@-]+$/;
const POLICY_ARN =
  /^arn:aws(?:-[a-z]+)*:iam::(?:aws|\d{12}):policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/;

export interface BootstrapFlags {
  readonly "role-name"?: string | undefined;
  readonly "group-name"?: string | undefined;
  readonly "max-session"?: string | undefined;
  readonly "policy-arn"?: readonly string[] | undefined;
}

function checkName(flag: string, what: string, value: string, max: number): void {
  if (value.length === 0 || value.length > max || !IAM_NAME.test(value)) {
    throw usageError(
      `bootstrap: ${flag} '${value}' is not a valid IAM ${what} name.`,
      `Use 1 to ${max} letters, digits and + = , . @ _ - (IAM's rule for ${what} names).`,
    );
  }
}

export function bootstrapOptions(flags: BootstrapFlags): BootstrapOptions {
  const roleName = flags["role-name"] ?? DEFAULT_ROLE_NAME;
  const groupName = flags["group-name"] ?? DEFAULT_GROUP_NAME;
  checkName("--role-name", "role", roleName, 64);
  checkName("--group-name", "group", groupName, 128);
  for (const name of Object.values(bootstrapPolicyNames({ roleName, groupName }))) {
    if (name.length > 128) {
      throw usageError(
        `bootstrap: the policy name '${name}' made from --group-name and --role-name is over IAM's 128 characters.`,
        "Use a shorter --group-name or --role-name.",
      );
    }
  }
  let maxSessionSeconds = DEFAULT_MAX_SESSION;
  const maxSession = flags["max-session"];
  if (maxSession !== undefined) {
    const d = parseDuration(maxSession, { min: 3600, max: 43_200 });
    if (!d.ok) {
      throw usageError(
        `bootstrap: --max-session: ${d.reason}.`,
        "A role's maximum session is 1h to 12h (3600 to 43200 seconds).",
      );
    }
    maxSessionSeconds = d.value;
  }
  const rolePolicyArns = flags["policy-arn"] ?? [DEFAULT_ROLE_POLICY];
  for (const arn of rolePolicyArns) {
    if (!POLICY_ARN.test(arn)) {
      throw usageError(
        `bootstrap: --policy-arn '${arn}' is not a managed policy ARN.`,
        "Use arn:aws:iam::aws:policy/NAME (AWS managed) or arn:aws:iam::<account id>:policy/NAME.",
      );
    }
  }
  return { roleName, groupName, maxSessionSeconds, rolePolicyArns };
}
