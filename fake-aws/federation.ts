/**
 * The console sign-in federation endpoint (signin.aws.amazon.com/federation):
 * getSigninToken swaps role or federated-user session credentials for a
 * SigninToken; login turns that token into a console session.
 * Credentials from GetSessionToken are refused, as AWS refuses them.
 */
import { randomBytes } from "node:crypto";
import { escapeXml } from "./xml.ts";
import { principalArn, principalMfa } from "./state.ts";
import type { CallRecord, FakeState } from "./state.ts";
import { same, isRecord } from "./values.ts";

export interface FederationReply {
  status: number;
  contentType: string;
  body: string;
  record: CallRecord;
}

const TOKEN_TTL_MS = 15 * 60 * 1000;

export function federation(state: FakeState, query: URLSearchParams): FederationReply {
  const action = query.get("Action") ?? "";
  const time = new Date(state.now()).toISOString();
  const base: CallRecord = {
    time,
    service: "signin",
    action,
    mfaPresent: false,
    ok: false,
    httpStatus: 400,
  };
  const fail = (status: number, code: string, message: string): FederationReply => ({
    status,
    contentType: "text/plain; charset=utf-8",
    body: `${message}\n`,
    record: { ...base, httpStatus: status, errorCode: code },
  });
  if (action === "getSigninToken") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(query.get("Session") ?? "");
    } catch {
      return fail(
        400,
        "InvalidSession",
        "Session must be a JSON object with sessionId, sessionKey and sessionToken.",
      );
    }
    if (
      !isRecord(parsed) ||
      typeof parsed.sessionId !== "string" ||
      typeof parsed.sessionKey !== "string" ||
      typeof parsed.sessionToken !== "string"
    ) {
      return fail(
        400,
        "InvalidSession",
        "Session must be a JSON object with sessionId, sessionKey and sessionToken.",
      );
    }
    const session = state.sessions.get(parsed.sessionId);
    if (
      session === undefined ||
      !same(session.secret, parsed.sessionKey) ||
      !same(session.token, parsed.sessionToken)
    ) {
      return fail(
        400,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
      );
    }
    const p = session.principal;
    const rec = {
      ...base,
      callerArn: principalArn(p),
      credentialType: p.kind,
      mfaPresent: principalMfa(p),
    };
    if (session.expiresMs <= state.now()) {
      return {
        ...fail(400, "ExpiredToken", "The security token included in the request is expired"),
        record: { ...rec, errorCode: "ExpiredToken" },
      };
    }
    if (p.kind !== "assumed-role" && p.kind !== "federated") {
      return {
        ...fail(
          400,
          "InvalidSessionType",
          "Credentials from GetSessionToken cannot be used with the federation endpoint: use AssumeRole or GetFederationToken credentials.",
        ),
        record: { ...rec, errorCode: "InvalidSessionType" },
      };
    }
    const durationRaw = query.get("SessionDuration");
    let durationSeconds = 43200;
    if (durationRaw !== null) {
      const d = Number(durationRaw);
      if (!Number.isInteger(d) || d < 900 || d > 43200) {
        return {
          ...fail(400, "InvalidSessionDuration", "SessionDuration must be 900..43200 seconds."),
          record: { ...rec, errorCode: "InvalidSessionDuration" },
        };
      }
      durationSeconds = d;
    }
    const token = randomBytes(48).toString("base64url");
    state.signinTokens.set(token, {
      session,
      expiresMs: state.now() + TOKEN_TTL_MS,
      durationSeconds,
    });
    return {
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({ SigninToken: token }),
      record: { ...rec, ok: true, httpStatus: 200 },
    };
  }
  if (action === "login") {
    const token = query.get("SigninToken") ?? "";
    const entry = state.signinTokens.get(token);
    if (entry === undefined || entry.expiresMs <= state.now()) {
      return fail(400, "InvalidSigninToken", "The sign-in token is invalid or has expired.");
    }
    const p = entry.session.principal;
    const arn = principalArn(p);
    const destination = query.get("Destination") ?? "https://console.aws.amazon.com/";
    const issuer = query.get("Issuer") ?? "";
    return {
      status: 200,
      contentType: "text/html; charset=utf-8",
      body:
        `<!doctype html><html><head><title>AWS Management Console (fake)</title></head><body>` +
        `<h1>Signed in</h1><p id="session">${escapeXml(arn)}</p>` +
        `<p id="account">${escapeXml(p.account)}</p>` +
        `<p id="destination">${escapeXml(destination)}</p>` +
        `<p id="issuer">${escapeXml(issuer)}</p>` +
        `<p id="duration">${entry.durationSeconds}</p></body></html>\n`,
      record: {
        ...base,
        callerArn: arn,
        credentialType: p.kind,
        mfaPresent: principalMfa(p),
        ok: true,
        httpStatus: 200,
      },
    };
  }
  return fail(
    400,
    "InvalidAction",
    `Unknown federation action ${JSON.stringify(action)}: use getSigninToken or login.`,
  );
}
