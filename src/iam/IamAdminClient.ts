/**
 * The IAM calls `bootstrap --apply` makes, as plain data. Reads answer
 * undefined for an entity that does not exist (NoSuchEntity), so the plan
 * can tell "create" from "already there".
 */
export interface ObservedRole {
  readonly arn: string;
  /** The trust policy, parsed. */
  readonly trust: unknown;
  readonly maxSessionDuration: number;
}

export interface IamAdminClient {
  /** The calling user's ARN (GetUser). */
  callerArn(): Promise<string>;
  getRole(roleName: string): Promise<ObservedRole | undefined>;
  createRole(input: {
    readonly roleName: string;
    readonly trust: string;
    readonly maxSessionDuration: number;
    readonly description: string;
  }): Promise<void>;
  listAttachedRolePolicies(roleName: string): Promise<string[]>;
  attachRolePolicy(roleName: string, policyArn: string): Promise<void>;
  /** The group's members' user names, or undefined when there is no such group. */
  getGroupMembers(groupName: string): Promise<string[] | undefined>;
  createGroup(groupName: string): Promise<void>;
  listAttachedGroupPolicies(groupName: string): Promise<string[]>;
  attachGroupPolicy(groupName: string, policyArn: string): Promise<void>;
  addUserToGroup(groupName: string, userName: string): Promise<void>;
  /** The default version's document, parsed; undefined when there is no such policy. */
  getPolicyDocument(policyArn: string): Promise<unknown>;
  createPolicy(input: {
    readonly policyName: string;
    readonly document: string;
    readonly description: string;
  }): Promise<void>;
}
