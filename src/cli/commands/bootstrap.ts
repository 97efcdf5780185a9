import { usageError } from "../../errors.ts";
import { formatTemplate } from "../../iam/bootstrapTemplate.ts";
import { bootstrapOptions } from "../../iam/bootstrapOptions.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";

export const usage = `Usage: awsmfa bootstrap --template [--role-name N] [--group-name G] [--max-session D] [--policy-arn ARN]...

Prints a CloudFormation template (YAML) for the IAM side of MFA:

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

  --template          print the template (the one mode there is for now)
  --role-name N       the role's name (1-64 of letters, digits, + = , . @ _ -)
  --group-name G      the group's name (1-128 of the same)
  --max-session D     the role's maximum session: 3600, 90m, 12h, ... (1h..12h)
  --policy-arn ARN    a managed policy for the role's sessions (repeatable)
`;

const options = {
  template: { type: "boolean" },
  "role-name": { type: "string" },
  "group-name": { type: "string" },
  "max-session": { type: "string" },
  "policy-arn": { type: "string", multiple: true },
} as const;

export function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("bootstrap", input.argv, options);
  atMostPositionals("bootstrap", positionals, 0);
  if (values.template !== true) {
    throw usageError(
      "bootstrap: say what to do: --template prints the CloudFormation template.",
      "Run 'awsmfa bootstrap --template > awsmfa-bootstrap.yaml'.",
    );
  }
  input.ctx.stdout(formatTemplate(bootstrapOptions(values)));
  return Promise.resolve(0);
}
