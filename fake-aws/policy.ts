/**
 * A small IAM policy evaluator: explicit Deny wins, then Allow, else implicit deny.
 * Supports Action/NotAction, Resource/NotResource with * and ? wildcards,
 * ${aws:username}, and the condition operators used by MFA policies (Bool,
 * String*, Numeric*, Null, each with IfExists). A key absent from the request
 * makes a plain operator false and an ...IfExists operator true, as at AWS:
 * that is why `Bool aws:MultiFactorAuthPresent false` does not deny requests
 * signed with long-term keys, while `BoolIfExists` does.
 */
import { faults } from "./errors.ts";
import type { PolicyDocument, PolicyStatement } from "./world.ts";

export interface RequestContext {
  /** "service:Action", e.g. "iam:ListAccessKeys". */
  action: string;
  resource: string;
  /** Condition keys, lower-case names; absent keys are left out. */
  keys: ReadonlyMap<string, string>;
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function globToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
}

function substitute(pattern: string, keys: ReadonlyMap<string, string>): string {
  return pattern.replace(
    /\$\{([^}]+)\}/g,
    (whole, name: string) => keys.get(name.toLowerCase()) ?? whole,
  );
}

function matchesAny(
  patterns: string[],
  value: string,
  ignoreCase: boolean,
  keys: ReadonlyMap<string, string>,
): boolean {
  return patterns.some((p) => globToRegExp(substitute(p, keys), ignoreCase).test(value));
}

function conditionHolds(
  operator: string,
  key: string,
  expected: string | string[] | boolean | number,
  keys: ReadonlyMap<string, string>,
): boolean {
  const ifExists = operator.endsWith("IfExists");
  const op = ifExists ? operator.slice(0, -"IfExists".length) : operator;
  const actual = keys.get(key.toLowerCase());
  const wanted = (Array.isArray(expected) ? expected : [expected]).map(String);
  if (op === "Null") {
    // Null true: the key must be absent; false: present.
    return wanted.some((w) => (w === "true") === (actual === undefined));
  }
  if (actual === undefined) return ifExists;
  const num = (s: string): number => Number(s);
  switch (op) {
    case "Bool":
      return wanted.some((w) => w.toLowerCase() === actual.toLowerCase());
    case "StringEquals":
      return wanted.some((w) => w === actual);
    case "StringNotEquals":
      return wanted.every((w) => w !== actual);
    case "StringEqualsIgnoreCase":
      return wanted.some((w) => w.toLowerCase() === actual.toLowerCase());
    case "StringLike":
      return wanted.some((w) => globToRegExp(w, false).test(actual));
    case "StringNotLike":
      return wanted.every((w) => !globToRegExp(w, false).test(actual));
    case "NumericEquals":
      return wanted.some((w) => num(actual) === num(w));
    case "NumericLessThan":
      return wanted.some((w) => num(actual) < num(w));
    case "NumericLessThanEquals":
      return wanted.some((w) => num(actual) <= num(w));
    case "NumericGreaterThan":
      return wanted.some((w) => num(actual) > num(w));
    case "NumericGreaterThanEquals":
      return wanted.some((w) => num(actual) >= num(w));
    default:
      throw faults.serviceFailure(`fake-aws does not support the condition operator ${operator}`);
  }
}

function statementApplies(st: PolicyStatement, ctx: RequestContext): boolean {
  const actionOk =
    st.Action !== undefined
      ? matchesAny(asList(st.Action), ctx.action, true, ctx.keys)
      : st.NotAction !== undefined && !matchesAny(asList(st.NotAction), ctx.action, true, ctx.keys);
  if (!actionOk) return false;
  const resourceOk =
    st.Resource !== undefined
      ? matchesAny(asList(st.Resource), ctx.resource, false, ctx.keys)
      : st.NotResource !== undefined
        ? !matchesAny(asList(st.NotResource), ctx.resource, false, ctx.keys)
        : true;
  if (!resourceOk) return false;
  for (const [operator, block] of Object.entries(st.Condition ?? {})) {
    for (const [key, expected] of Object.entries(block)) {
      if (!conditionHolds(operator, key, expected, ctx.keys)) return false;
    }
  }
  return true;
}

export function evaluate(policies: readonly PolicyDocument[], ctx: RequestContext): Decision {
  let allowed = false;
  for (const doc of policies) {
    for (const st of doc.Statement) {
      if (!statementApplies(st, ctx)) continue;
      if (st.Effect === "Deny") return "explicit-deny";
      allowed = true;
    }
  }
  return allowed ? "allow" : "implicit-deny";
}
