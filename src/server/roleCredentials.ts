/**
 * `/role-arn/<ARN>` on the container server: that role assumed from the
 * profile's credentials, each ARN with its own refreshing copy in memory.
 */
import { AwsmfaError } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import { refreshingCredentials } from "./refreshingCredentials.ts";
import type { CredentialSource, ServedCredentials } from "./servedCredentials.ts";

/** IAM role ARNs in every partition; the path and name as IAM allows them. */
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** Distinct roles kept; past this the least recently added is forgotten. */
const MAX_ROLES = 100;

export interface RoleCredentialsDeps {
  readonly clock: Clock;
  /** The profile's own credentials: what the role is assumed with. */
  readonly base: CredentialSource;
  readonly assumeRole: (base: ServedCredentials, roleArn: string) => Promise<ServedCredentials>;
  readonly warn: (message: string) => void;
}

export interface RoleCredentials {
  /** Throws AwsmfaError E_BAD_ROLE_ARN for something that is not a role ARN. */
  get(roleArn: string): Promise<ServedCredentials>;
}

export function isRoleArn(s: string): boolean {
  return ROLE_ARN.test(s);
}

export function roleCredentials(deps: RoleCredentialsDeps): RoleCredentials {
  const byArn = new Map<string, CredentialSource>();
  return {
    get(roleArn) {
      if (!isRoleArn(roleArn)) {
        return Promise.reject(
          new AwsmfaError("E_BAD_ROLE_ARN", `'${roleArn.slice(0, 200)}' is not an IAM role ARN.`, {
            hint: "Ask for /role-arn/arn:aws:iam::ACCOUNT:role/NAME.",
          }),
        );
      }
      let source = byArn.get(roleArn);
      if (source === undefined) {
        source = refreshingCredentials({
          clock: deps.clock,
          warn: deps.warn,
          fetch: async () => deps.assumeRole(await deps.base.get(), roleArn),
        });
        if (byArn.size >= MAX_ROLES) {
          const oldest = byArn.keys().next();
          if (oldest.done !== true) byArn.delete(oldest.value);
        }
        byArn.set(roleArn, source);
      }
      return source.get();
    },
  };
}
