/**
 * AWS Signature Version 4, verified by hand with node:crypto (never with the
 * SDK's signer: the fake must catch a client that signs wrongly).
 * Spec: "Create a canonical request for Signature Version 4" in the IAM User Guide.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { AwsFault, faults } from "./errors.ts";

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received (still percent-encoded). */
  rawUrl: string;
  /** Node's rawHeaders: name, value, name, value... */
  rawHeaders: readonly string[];
  body: Buffer;
}

export interface ParsedAuth {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** yyyymmddThhmmssZ */
  amzDate: string;
  securityToken: string | undefined;
  /** Where the signature came from. */
  location: "header" | "query";
}

const ALGORITHM = "AWS4-HMAC-SHA256";
export const MAX_SKEW_MS = 5 * 60 * 1000;

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, "%20"));
  } catch {
    return s;
  }
}

/** Decoded query pairs, in order, '+' read as space (as form encoding does). */
export function parseQuery(query: string): [string, string][] {
  if (query === "") return [];
  return query.split("&").map((part) => {
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    return [safeDecode(k), safeDecode(v)];
  });
}

export function canonicalQuery(pairs: readonly [string, string][]): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/**
 * Non-S3 services: normalise the path (RFC 3986 dot segments), then encode
 * each segment once more (clients encode twice; what we received is encoded once).
 */
export function canonicalUri(rawPath: string): string {
  const segments = rawPath.split("/");
  const out: string[] = [];
  for (const seg of segments.slice(1)) {
    if (seg === ".") continue;
    if (seg === "..") {
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return "/" + out.map(uriEncode).join("/");
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

/** Header values by lower-case name, repeated headers joined with ",", whitespace trimmed and folded. */
function headerMap(rawHeaders: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    const value = (rawHeaders[i + 1] ?? "").trim().replace(/\s+/g, " ");
    const prev = m.get(name);
    m.set(name, prev === undefined ? value : `${prev},${value}`);
  }
  return m;
}

function splitUrl(rawUrl: string): { path: string; query: string } {
  const q = rawUrl.indexOf("?");
  return q < 0
    ? { path: rawUrl, query: "" }
    : { path: rawUrl.slice(0, q), query: rawUrl.slice(q + 1) };
}

function parseCredential(
  credential: string,
): Pick<ParsedAuth, "accessKeyId" | "scopeDate" | "region" | "service"> {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") {
    throw faults.incompleteSignature(
      `Credential should be scoped to a valid region. Authorization=${ALGORITHM} Credential=${credential}`,
    );
  }
  const [accessKeyId = "", scopeDate = "", region = "", service = ""] = parts;
  return { accessKeyId, scopeDate, region, service };
}

/** Reads the signature from the Authorization header or the query (presigned). Undefined: unsigned. */
export function parseAuth(req: SignedRequest): ParsedAuth | undefined {
  const headers = headerMap(req.rawHeaders);
  const auth = headers.get("authorization");
  const { query } = splitUrl(req.rawUrl);
  const queryPairs = parseQuery(query);
  const q = (name: string): string | undefined => queryPairs.find(([k]) => k === name)?.[1];
  if (auth !== undefined) {
    if (!auth.startsWith(`${ALGORITHM} `)) {
      throw faults.incompleteSignature(
        `Unsupported AWS 'algorithm': '${auth.split(" ")[0] ?? ""}'`,
      );
    }
    const fields = new Map<string, string>();
    for (const part of auth.slice(ALGORITHM.length + 1).split(",")) {
      const eq = part.indexOf("=");
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get("Credential");
    const signedHeaders = fields.get("SignedHeaders");
    const signature = fields.get("Signature");
    const missing = [
      credential === undefined ? "Credential" : undefined,
      signedHeaders === undefined ? "SignedHeaders" : undefined,
      signature === undefined ? "Signature" : undefined,
    ].filter((x) => x !== undefined);
    if (credential === undefined || signedHeaders === undefined || signature === undefined) {
      throw faults.incompleteSignature(
        `Authorization header requires ${missing.map((m) => `'${m}'`).join(", ")} parameter. Authorization=${auth.replace(/Signature=\w+/, "Signature=...")}`,
      );
    }
    const amzDate = headers.get("x-amz-date") ?? dateHeaderToAmz(headers.get("date"));
    if (amzDate === undefined) {
      throw faults.incompleteSignature(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    return {
      ...parseCredential(credential),
      signedHeaders: signedHeaders.split(";"),
      signature,
      amzDate,
      securityToken: headers.get("x-amz-security-token"),
      location: "header",
    };
  }
  if (q("X-Amz-Algorithm") !== undefined) {
    const credential = q("X-Amz-Credential");
    const signedHeaders = q("X-Amz-SignedHeaders");
    const signature = q("X-Amz-Signature");
    const amzDate = q("X-Amz-Date");
    if (
      q("X-Amz-Algorithm") !== ALGORITHM ||
      credential === undefined ||
      signedHeaders === undefined ||
      signature === undefined ||
      amzDate === undefined
    ) {
      throw faults.incompleteSignature(
        "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'.",
      );
    }
    return {
      ...parseCredential(credential),
      signedHeaders: signedHeaders.split(";"),
      signature,
      amzDate,
      securityToken: q("X-Amz-Security-Token"),
      location: "query",
    };
  }
  return undefined;
}

function dateHeaderToAmz(date: string | undefined): string | undefined {
  if (date === undefined) return undefined;
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : toAmzDate(ms);
}

export function toAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export function amzDateToMs(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (m === null) return Number.NaN;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
}

/** Checks the request time against `nowMs`: AWS allows 5 minutes either way. */
export function checkRequestTime(auth: ParsedAuth, nowMs: number): void {
  const signedMs = amzDateToMs(auth.amzDate);
  if (Number.isNaN(signedMs)) {
    throw faults.incompleteSignature(
      `Date must be in ISO-8601 'basic format'. Got '${auth.amzDate}'.`,
    );
  }
  if (signedMs < nowMs - MAX_SKEW_MS) {
    throw faults.signatureExpired(auth.amzDate, toAmzDate(nowMs - MAX_SKEW_MS), toAmzDate(nowMs));
  }
  if (signedMs > nowMs + MAX_SKEW_MS) {
    throw faults.signatureNotYetCurrent(
      auth.amzDate,
      toAmzDate(nowMs + MAX_SKEW_MS),
      toAmzDate(nowMs),
    );
  }
  if (!auth.amzDate.startsWith(auth.scopeDate)) {
    throw faults.signatureDoesNotMatch();
  }
}

export function canonicalRequest(req: SignedRequest, auth: ParsedAuth): string {
  const headers = headerMap(req.rawHeaders);
  const { path, query } = splitUrl(req.rawUrl);
  let pairs = parseQuery(query);
  if (auth.location === "query") pairs = pairs.filter(([k]) => k !== "X-Amz-Signature");
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${headers.get(name) ?? ""}\n`)
    .join("");
  const declared = headers.get("x-amz-content-sha256");
  const payloadHash = declared !== undefined && declared !== "" ? declared : sha256Hex(req.body);
  return [
    req.method,
    canonicalUri(path),
    canonicalQuery(pairs),
    canonicalHeaders,
    auth.signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

export function stringToSign(auth: ParsedAuth, canonical: string): string {
  return [
    ALGORITHM,
    auth.amzDate,
    `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`,
    sha256Hex(canonical),
  ].join("\n");
}

export function expectedSignature(req: SignedRequest, auth: ParsedAuth, secret: string): string {
  const key = signingKey(secret, auth.scopeDate, auth.region, auth.service);
  return createHmac("sha256", key)
    .update(stringToSign(auth, canonicalRequest(req, auth)), "utf8")
    .digest("hex");
}

/** Throws SignatureDoesNotMatch unless the request was signed with `secret`. */
export function verifySignature(req: SignedRequest, auth: ParsedAuth, secret: string): void {
  const headers = headerMap(req.rawHeaders);
  if (!auth.signedHeaders.includes("host")) {
    throw faults.signatureDoesNotMatch();
  }
  const declared = headers.get("x-amz-content-sha256");
  if (
    declared !== undefined &&
    declared !== "UNSIGNED-PAYLOAD" &&
    declared !== sha256Hex(req.body)
  ) {
    throw new AwsFault(
      400,
      "XAmzContentSHA256Mismatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const expected = Buffer.from(expectedSignature(req, auth, secret), "utf8");
  const given = Buffer.from(auth.signature, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw faults.signatureDoesNotMatch();
  }
}
