/**
 * The AWS CLI's SSO token cache: ~/.aws/sso/cache/<sha1>.json, shared with
 * `aws sso login` and every SDK's SSO provider, so a sign-in in either tool
 * serves both. Same field names; written atomically, 0600.
 */
import { readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { AwsmfaError } from "../errors.ts";
import { isErrno, writeFileAtomic } from "../platform/fs.ts";
import { isoSeconds } from "../platform/isoSeconds.ts";
import type { Clock } from "../platform/clock.ts";
import type { CreatedToken, Registration } from "./ssoApi.ts";
import { tokenCacheKey, type SsoSession } from "./ssoSettings.ts";

export interface SsoToken {
  readonly startUrl: string;
  readonly region: string;
  readonly accessToken: string;
  readonly expiresAt: Date;
  readonly refreshToken?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly registrationExpiresAt?: Date;
  /** Fields of the file we do not know, written back as they were (lossless for newer CLIs). */
  readonly others?: Readonly<Record<string, unknown>>;
}

const KNOWN = new Set([
  "startUrl",
  "region",
  "accessToken",
  "expiresAt",
  "refreshToken",
  "clientId",
  "clientSecret",
  "registrationExpiresAt",
]);

export function tokenCacheDir(homedir: string): string {
  return join(homedir, ".aws", "sso", "cache");
}

/** The cache entry for a token CreateToken gave (a refresh may come without a new refresh token). */
export function tokenFrom(
  clock: Clock,
  session: SsoSession,
  reg: Pick<Registration, "clientId" | "clientSecret"> & { expiresAt?: Date },
  t: CreatedToken,
  /** The token refreshed: its refresh token (when no new one came) and unknown fields carry over. */
  previous?: SsoToken,
): SsoToken {
  const refreshToken = t.refreshToken ?? previous?.refreshToken;
  return {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: t.accessToken,
    expiresAt: new Date(clock.now() + t.expiresIn * 1000),
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    ...(reg.expiresAt === undefined ? {} : { registrationExpiresAt: reg.expiresAt }),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(previous?.others === undefined ? {} : { others: previous.others }),
  };
}

export function tokenCachePath(homedir: string, s: SsoSession): string {
  return join(tokenCacheDir(homedir), `${tokenCacheKey(s)}.json`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function date(v: unknown): Date | undefined {
  if (typeof v !== "string") return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** undefined when there is no file; an unreadable file is an error that names it. */
export async function readToken(path: string): Promise<SsoToken | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT")) return undefined;
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  const accessToken = isRecord(v) ? text(v.accessToken) : undefined;
  const expiresAt = isRecord(v) ? date(v.expiresAt) : undefined;
  if (!isRecord(v) || accessToken === undefined || expiresAt === undefined) {
    throw new AwsmfaError(
      "E_SSO_TOKEN_UNREADABLE",
      `The SSO token cache ${path} is not a token the AWS CLI wrote (no accessToken or expiresAt).`,
      {
        hint: "Remove it and sign in again with 'awsmfa sso login'.",
      },
    );
  }
  const refreshToken = text(v.refreshToken);
  const clientId = text(v.clientId);
  const clientSecret = text(v.clientSecret);
  const registrationExpiresAt = date(v.registrationExpiresAt);
  const others = Object.fromEntries(Object.entries(v).filter(([k]) => !KNOWN.has(k)));
  return {
    startUrl: text(v.startUrl) ?? "",
    region: text(v.region) ?? "",
    accessToken,
    expiresAt,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(registrationExpiresAt === undefined ? {} : { registrationExpiresAt }),
    ...(Object.keys(others).length === 0 ? {} : { others }),
  };
}

/** The file as the AWS CLI writes it (times in UTC, whole seconds, "Z"). */
export function formatToken(t: SsoToken): string {
  const o: Record<string, unknown> = {
    ...t.others,
    startUrl: t.startUrl,
    region: t.region,
    accessToken: t.accessToken,
    expiresAt: isoSeconds(t.expiresAt),
  };
  if (t.clientId !== undefined) o.clientId = t.clientId;
  if (t.clientSecret !== undefined) o.clientSecret = t.clientSecret;
  if (t.registrationExpiresAt !== undefined)
    o.registrationExpiresAt = isoSeconds(t.registrationExpiresAt);
  if (t.refreshToken !== undefined) o.refreshToken = t.refreshToken;
  return JSON.stringify(o);
}

export async function writeToken(path: string, t: SsoToken): Promise<void> {
  await writeFileAtomic(path, formatToken(t));
}

/** Removes the file; false when there was none. */
export async function removeToken(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (e) {
    if (isErrno(e, "ENOENT")) return false;
    throw e;
  }
}
