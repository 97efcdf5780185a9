/**
 * The default RoleSessionName: the local user name (what shows up in
 * CloudTrail), reduced to what AWS accepts: [\w+=,.@-], 2..64 characters.
 */
import type { Env } from "../platform/env.ts";

export function defaultRoleSessionName(env: Env): string {
  const user = env.USER ?? env.LOGNAME ?? env.USERNAME ?? "";
  return sanitizeRoleSessionName(user);
}

export function sanitizeRoleSessionName(name: string): string {
  let s = name.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
  if (s.length < 2) s = s === "" ? "awsmfa" : `awsmfa-${s}`;
  return s;
}
