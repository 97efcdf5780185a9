/**
 * Checks a profile's values (ARNs, durations, tags, references to other
 * sections) and returns what is wrong, each pointing at file:line with a
 * hint. resolveProfile runs it on every profile it walks, so a bad value
 * stops only the commands that use that profile.
 */
import type { ErrorCode } from "../errors.ts";
import type { AwsConfig, ConfigDiagnostic, ProfileConfig, SourceLocation } from "./types.ts";
import {
  isEndpointUrl,
  isExternalId,
  isMfaSerial,
  isRoleArn,
  isRoleSessionName,
  MFA_SERIAL_HINT,
  parseDurationSeconds,
  parseSessionTags,
  parseTransitiveSessionTags,
  ROLE_ARN_HINT,
} from "./validate.ts";
import { vaultKeyProblems } from "./validateVaultKeys.ts";

/** A problem that stops the profile from being used. */
export interface ProfileProblem extends ConfigDiagnostic {
  readonly severity: "error";
  readonly code: ErrorCode;
}

export function validateProfile(p: ProfileConfig, config: AwsConfig): ProfileProblem[] {
  const out: ProfileProblem[] = [];
  const at = (key: string): SourceLocation => p.where[key] ?? p.location;
  const bad = (code: ErrorCode, key: string, what: string, hint: string) => {
    const where = at(key);
    out.push({
      severity: "error",
      code,
      message: `${where.file}:${where.line}: ${key} in profile '${p.name}' ${what}`,
      where,
      hint,
    });
  };
  const raw = (key: string): string | undefined =>
    Object.hasOwn(p.raw, key) ? p.raw[key] : undefined;

  const mfa = raw("mfa_serial");
  if (mfa !== undefined && !isMfaSerial(mfa)) {
    bad(
      "E_CONFIG_VALUE",
      "mfa_serial",
      `is '${mfa}', not an MFA device ARN or serial number.`,
      MFA_SERIAL_HINT,
    );
  }
  const role = raw("role_arn");
  if (role !== undefined && !isRoleArn(role)) {
    bad("E_CONFIG_VALUE", "role_arn", `is '${role}', not an IAM role ARN.`, ROLE_ARN_HINT);
  }
  const duration = raw("duration_seconds");
  if (duration !== undefined) {
    const r = parseDurationSeconds(duration);
    if (!r.ok) {
      bad(
        "E_CONFIG_VALUE",
        "duration_seconds",
        `is invalid: ${r.reason}.`,
        "Use a whole number of seconds from 900 (15 min) to 43200 (12 h), within the role's maximum session duration.",
      );
    }
  }
  const tags = raw("session_tags");
  if (tags !== undefined) {
    const r = parseSessionTags(tags);
    if (!r.ok) {
      bad(
        "E_CONFIG_VALUE",
        "session_tags",
        `is invalid: ${r.reason}.`,
        "Write session_tags = key1=value1,key2=value2.",
      );
    }
  }
  const transitive = raw("transitive_session_tags");
  if (transitive !== undefined) {
    const r = parseTransitiveSessionTags(transitive);
    if (!r.ok) {
      bad(
        "E_CONFIG_VALUE",
        "transitive_session_tags",
        `is invalid: ${r.reason}.`,
        "Write transitive_session_tags = key1,key2.",
      );
    }
  }
  for (const key of ["role_session_name", "source_identity"]) {
    const v = raw(key);
    if (v !== undefined && !isRoleSessionName(v)) {
      bad(
        "E_CONFIG_VALUE",
        key,
        "is not 2 to 64 of letters, digits and + = , . @ _ -.",
        "Shorten it or remove the other characters.",
      );
    }
  }
  const externalId = raw("external_id");
  if (externalId !== undefined && !isExternalId(externalId)) {
    // The value is not shown: an external id is a shared secret of sorts.
    bad(
      "E_CONFIG_VALUE",
      "external_id",
      "is not 2 to 1224 of letters, digits and + = , . @ : / _ -.",
      "Use the external id the role's trust policy expects.",
    );
  }
  const endpoint = raw("endpoint_url");
  if (endpoint !== undefined && !isEndpointUrl(endpoint)) {
    bad(
      "E_CONFIG_VALUE",
      "endpoint_url",
      `is '${endpoint}', not an http(s) URL.`,
      "Use a URL such as https://sts.us-east-1.amazonaws.com.",
    );
  }
  for (const key of ["source_profile", "include_profile"]) {
    const ref = raw(key);
    if (ref !== undefined && ref !== p.name && !config.profiles.has(ref)) {
      bad(
        "E_CONFIG_REFERENCE",
        key,
        `names profile '${ref}', which does not exist.`,
        `Add [profile ${ref}] to ${config.configFileLabel ?? config.configFile}, or fix the name.`,
      );
    }
  }
  const services = raw("services");
  if (services !== undefined && !config.services.has(services)) {
    bad(
      "E_CONFIG_REFERENCE",
      "services",
      `names [services ${services}], which does not exist.`,
      `Add [services ${services}] to the config file, or fix the name.`,
    );
  }
  const sso = raw("sso_session");
  if (sso !== undefined && config.ssoSessions !== undefined && !config.ssoSessions.has(sso)) {
    bad(
      "E_CONFIG_REFERENCE",
      "sso_session",
      `names [sso-session ${sso}], which does not exist.`,
      `Add [sso-session ${sso}] to the config file, or fix the name.`,
    );
  }
  for (const v of vaultKeyProblems(p)) bad("E_CONFIG_VALUE", v.key, v.what, v.hint);
  return out;
}
