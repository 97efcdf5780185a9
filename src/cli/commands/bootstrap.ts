import { usageError } from "../../errors.ts";
import { formatTemplate } from "../../iam/bootstrapTemplate.ts";
import { bootstrapOptions } from "../../iam/bootstrapOptions.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";

export const usage = `Usage: awsmfa bootstrap --template [options]
       awsmfa bootstrap --apply <profile> [--dry-run] [--add-user U]... [--source-profile S] [--config-profile P] [options]

--template prints a CloudFormation template (YAML) for the IAM side of MFA;
--apply creates the same resources through the IAM API with the stored keys
of <profile> (an administrator):

  - role N (default mfa-admin) that only principals of this account with MFA
    can assume (trust condition aws:MultiFactorAuthPresent), with
    MaxSessionDuration D (1h..12h, default 12h) and the managed policies
    given by --policy-arn (default AdministratorAccess);
  - group G (default mfa-users), with a policy that lets its members assume
    the role, and the force-MFA self-service policy ('awsmfa policy --help'):
    they can set up their own MFA device, and do nothing else until they
    sign in with MFA;
  - the role's ARN as the stack output RoleArn.

Deploy it, add users to the group, and point a profile at the role:

  awsmfa bootstrap --template > awsmfa-bootstrap.yaml
  aws cloudformation deploy --template-file awsmfa-bootstrap.yaml \\
      --stack-name awsmfa-bootstrap --capabilities CAPABILITY_NAMED_IAM
  aws iam add-user-to-group --group-name mfa-users --user-name alice

--apply is idempotent: it reads what exists and does only what is missing
(a second run changes nothing and says so); a role, group or policy of the
same name that differs is reported and nothing is changed. Then it adds
[profile P] (default: the role's name) to ~/.aws/config with role_arn,
source_profile S (default: <profile>) and S's mfa_serial, changing no
other line.

  --template          print the template
  --apply <profile>   create the resources with <profile>'s stored keys
  --dry-run           with --apply: print what would be done, do nothing
  --add-user U        with --apply: put IAM user U in the group (repeatable)
  --source-profile S  with --apply: the profile the role profile sources from
  --config-profile P  with --apply: the profile name to add (default: role name)
  --role-name N       the role's name (1-64 of letters, digits, + = , . @ _ -)
  --group-name G      the group's name (1-128 of the same)
  --max-session D     the role's maximum session: 3600, 90m, 12h, ... (1h..12h)
  --policy-arn ARN    a managed policy for the role's sessions (repeatable)
`;

export const options = {
  template: { type: "boolean" },
  "role-name": { type: "string" },
  "group-name": { type: "string" },
  "max-session": { type: "string" },
  "policy-arn": { type: "string", multiple: true },
  apply: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "add-user": { type: "string", multiple: true },
  "source-profile": { type: "string" },
  "config-profile": { type: "string" },
} as const;

const APPLY_ONLY = ["dry-run", "add-user", "source-profile", "config-profile"] as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("bootstrap", input.argv, options);
  if (values.template === true && values.apply === true) {
    throw usageError("bootstrap: --template or --apply, not both.");
  }
  if (values.apply === true) {
    atMostPositionals("bootstrap --apply", positionals, 1);
    const profile = positionals[0];
    if (profile === undefined) {
      throw usageError(
        "bootstrap --apply: whose keys? Give the profile of an IAM administrator.",
        "Run 'awsmfa bootstrap --apply <profile> --dry-run' to see the plan first.",
      );
    }
    const { applyBootstrap } = await import("../bootstrapApply.ts");
    return applyBootstrap(input, profile, bootstrapOptions(values), {
      dryRun: values["dry-run"] === true,
      addUsers: values["add-user"] ?? [],
      sourceProfile: values["source-profile"],
      configProfile: values["config-profile"],
    });
  }
  atMostPositionals("bootstrap", positionals, 0);
  for (const flag of APPLY_ONLY) {
    if (values[flag] !== undefined) throw usageError(`bootstrap: --${flag} goes with --apply.`);
  }
  if (values.template !== true) {
    throw usageError(
      "bootstrap: say what to do: --template prints the CloudFormation template, --apply creates it.",
      "Run 'awsmfa bootstrap --template > awsmfa-bootstrap.yaml', or 'awsmfa bootstrap --apply <profile> --dry-run'.",
    );
  }
  input.ctx.stdout(formatTemplate(bootstrapOptions(values)));
  return 0;
}
