/**
 * A fake HashiCorp Vault / OpenBao on fake-aws's port, under /v1/: the AWS
 * secrets engine and token/userpass auth as documented for Vault's HTTP API
 * v1 (Vault 1.15 docs), minting credentials in fake-aws's own IAM/STS so
 * they really work:
 *
 *   GET  /v1/<mount>/creds/:name[?ttl=&role_arn=]     any credential_type
 *   GET|PUT|POST /v1/<mount>/sts/:name  {ttl, role_arn} STS types only
 *   PUT  /v1/sys/leases/revoke {lease_id}  (iam_user: the user and key are deleted;
 *        STS credentials stay valid until they expire, as at AWS)
 *   GET  /v1/auth/token/lookup-self
 *   POST|PUT /v1/auth/userpass/login/:user {password}
 *
 * X-Vault-Token and X-Vault-Namespace are read; failures are {"errors": [...]}
 * with Vault's statuses (400, 403, 404, 405, 503 sealed).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { newAccessKeyId, newSecret, type FakeState, type UserState } from "./state.ts";

export type VaultCredentialType = "iam_user" | "assumed_role" | "session_token";

export interface FakeVaultRole {
  readonly credentialType: VaultCredentialType;
  /** iam_user: managed policy names of the world account given to the new user. */
  readonly policies?: readonly string[];
  /** assumed_role: the role ARNs the Vault role may give (first is the default). */
  readonly roleArns?: readonly string[];
  /** session_token: the world user whose session it is. */
  readonly user?: string;
  /** Default lease length, seconds. Default 3600. */
  readonly defaultTtl?: number;
  /** session_token: the device whose code must come as mfa_code (Vault's mfa_serial_number). */
  readonly mfaSerialNumber?: string;
}

export interface FakeVaultOptions {
  /** The AWS engine's mount. Default "aws". */
  readonly mount?: string;
  readonly account: string;
  readonly roles: Readonly<Record<string, FakeVaultRole>>;
  /** token -> path globs it may use ("aws/creds/*", "*" for root). */
  readonly tokens?: Readonly<Record<string, readonly string[]>>;
  /** userpass user -> password and the path globs its tokens get. */
  readonly userpass?: Readonly<Record<string, { password: string; paths: readonly string[] }>>;
  /** When set, requests must carry this X-Vault-Namespace. */
  readonly namespace?: string;
  /** iam_user keys are refused at STS this many times before they work (IAM eventual consistency). */
  readonly unseenAttempts?: number;
}

export interface VaultCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Whether an X-Vault-Token header came (never its value). */
  readonly token: boolean;
  readonly namespace: string | undefined;
}

interface Lease {
  readonly id: string;
  readonly kind: VaultCredentialType;
  readonly user: UserState | undefined;
  readonly accessKeyId: string;
  revoked: boolean;
}

export interface FakeVault {
  /** Flip to answer 503 "Vault is sealed". */
  sealed: boolean;
  readonly calls: VaultCall[];
  readonly leases: Map<string, Lease>;
  /** Adds a token that may use these path globs; returns it. */
  addToken(paths: readonly string[]): string;
  revokeToken(token: string): void;
  handle(
    method: string,
    rawUrl: string,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    body: Buffer,
  ): { status: number; json: unknown };
}

const glob = (pattern: string, path: string): boolean =>
  pattern === "*" ||
  (pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : pattern === path);

function ttlSeconds(v: string | undefined, fallback: number): number | undefined {
  if (v === undefined || v === "") return fallback;
  const m = /^(\d+)([smh]?)$/.exec(v);
  if (m === null) return undefined;
  const n = Number(m[1]);
  return m[2] === "h" ? n * 3600 : m[2] === "m" ? n * 60 : n;
}

export function fakeVault(state: FakeState, options: FakeVaultOptions): FakeVault {
  const mount = options.mount ?? "aws";
  const tokens = new Map<string, readonly string[]>(Object.entries(options.tokens ?? {}));
  const leases = new Map<string, Lease>();
  const calls: VaultCall[] = [];
  const fail = (status: number, ...errors: string[]) => ({ status, json: { errors } });

  const vault: FakeVault = {
    sealed: false,
    calls,
    leases,
    addToken(paths) {
      const t = `hvs.${randomBytes(18).toString("base64url")}`;
      tokens.set(t, paths);
      return t;
    },
    revokeToken(t) {
      tokens.delete(t);
    },
    handle(method, rawUrl, headers, body) {
      const url = new URL(rawUrl, "http://127.0.0.1");
      const path = url.pathname.replace(/^\/v1\//, "");
      const header = (n: string): string | undefined => {
        const v = headers[n];
        return Array.isArray(v) ? v[0] : v;
      };
      const token = header("x-vault-token");
      const namespace = header("x-vault-namespace");
      const r = answer(path, url, token, namespace);
      calls.push({ method, path, status: r.status, token: token !== undefined, namespace });
      return r;

      function answer(
        path: string,
        url: URL,
        token: string | undefined,
        namespace: string | undefined,
      ): { status: number; json: unknown } {
        if (vault.sealed) return fail(503, "Vault is sealed");
        if (options.namespace !== undefined && namespace !== options.namespace) {
          // Outside the namespace the mount does not exist.
          return fail(404, `no handler for route "${path}". route entry not found.`);
        }
        let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
        if (body.length > 0) {
          try {
            const v: unknown = JSON.parse(body.toString("utf8"));
            if (typeof v === "object" && v !== null) params = { ...params, ...v };
          } catch {
            return fail(400, "failed to parse JSON input");
          }
        }
        const str = (k: string): string | undefined =>
          typeof params[k] === "string" ? params[k] : undefined;

        const login = /^auth\/userpass\/login\/([^/]+)$/.exec(path);
        if (login !== null) {
          if (method !== "POST" && method !== "PUT") return fail(405, "unsupported operation");
          const u = options.userpass?.[login[1] ?? ""];
          if (u === undefined || str("password") !== u.password) {
            return fail(400, "invalid username or password");
          }
          const t = vault.addToken(u.paths);
          return {
            status: 200,
            json: {
              request_id: randomUUID(),
              auth: {
                client_token: t,
                policies: ["default"],
                lease_duration: 2764800,
                renewable: true,
              },
            },
          };
        }
        const allowed = token === undefined ? undefined : tokens.get(token);
        if (allowed === undefined) return fail(403, "permission denied");
        if (path === "auth/token/lookup-self") {
          return {
            status: 200,
            json: { data: { ttl: 2764800, policies: ["default"], display_name: "token" } },
          };
        }
        if (!allowed.some((g) => glob(g, path)))
          return fail(403, "1 error occurred:\n\t* permission denied\n\n");
        if (path === "sys/leases/revoke") {
          if (method !== "PUT" && method !== "POST") return fail(405, "unsupported operation");
          const id = str("lease_id");
          const lease = id === undefined ? undefined : leases.get(id);
          if (lease === undefined) return fail(400, "invalid lease");
          if (!lease.revoked && lease.user !== undefined) {
            state.deleteKey(lease.user, lease.accessKeyId);
            state.users.delete(lease.user.arn);
          }
          lease.revoked = true;
          return { status: 204, json: undefined };
        }
        const m = new RegExp(`^${mount}/(creds|sts)/([^/]+)$`).exec(path);
        if (m === null) return fail(404, `no handler for route "${path}". route entry not found.`);
        const [, endpoint, name = ""] = m;
        if (endpoint === "creds" && method !== "GET") return fail(405, "unsupported operation");
        const role = options.roles[name];
        if (role === undefined) return fail(400, `Role "${name}" not found`);
        const ttl = ttlSeconds(str("ttl"), role.defaultTtl ?? 3600);
        if (ttl === undefined) return fail(400, `invalid ttl "${str("ttl") ?? ""}"`);
        if (endpoint === "sts" && role.credentialType === "iam_user") {
          return fail(
            400,
            "Can't generate STS credentials for a managed policy; use a role to generate STS credentials",
          );
        }
        let mfa = false;
        if (role.mfaSerialNumber !== undefined) {
          // Vault passes the code to GetSessionToken; AWS's refusal comes back as a 400.
          const code = str("mfa_code");
          const device = state.devices.get(role.mfaSerialNumber);
          if (code === undefined) return fail(400, "mfa_code is required for this role");
          try {
            if (device === undefined) throw new Error("no such device");
            state.useCode(device, code);
          } catch {
            return fail(
              400,
              "Error generating STS credentials: AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code.",
            );
          }
          mfa = true;
        }
        return mint(name, role, ttl, str("role_arn"), mfa);
      }
    },
  };

  function mint(
    name: string,
    role: FakeVaultRole,
    ttl: number,
    roleArn: string | undefined,
    mfa = false,
  ): { status: number; json: unknown } {
    const leaseId = `${mount}/creds/${name}/${randomBytes(12).toString("base64url")}`;
    let data: Record<string, unknown>;
    let user: UserState | undefined;
    let keyId: string;
    if (role.credentialType === "iam_user") {
      const uname = `vault-token-${name}-${String(state.now())}-${randomBytes(3).toString("hex")}`;
      const arn = `arn:aws:iam::${options.account}:user/${uname}`;
      user = {
        account: options.account,
        name: uname,
        path: "/",
        arn,
        userId: `AIDA${randomBytes(8).toString("hex").toUpperCase()}`,
        createdMs: state.now(),
        keys: new Map(),
        groups: [],
        policies: [...(role.policies ?? [])],
        inlinePolicies: {},
      };
      state.users.set(arn, user);
      keyId = newAccessKeyId("AKIA");
      const secret = newSecret();
      state.addKey(user, { id: keyId, secret, status: "Active", createdMs: state.now() });
      if ((options.unseenAttempts ?? 0) > 0)
        state.unseenKeys.set(keyId, options.unseenAttempts ?? 0);
      data = { access_key: keyId, secret_key: secret, security_token: null, arn };
    } else if (role.credentialType === "assumed_role") {
      const arn = roleArn ?? role.roleArns?.[0];
      if (arn === undefined || !(role.roleArns ?? []).includes(arn)) {
        return {
          status: 400,
          json: {
            errors: [`role_arn "${arn ?? ""}" not in allowed role arns for Vault role "${name}"`],
          },
        };
      }
      const r = state.roles.get(arn);
      if (r === undefined) return { status: 400, json: { errors: [`AWS: no role ${arn}`] } };
      const sessionName = `vault-token-${name}-${String(state.now())}`;
      const s = state.newSession(
        {
          kind: "assumed-role",
          account: r.account,
          role: r,
          sessionName,
          mfa: false,
          mfaAtMs: undefined,
          sourceIdentity: undefined,
          tags: [],
          transitiveTagKeys: [],
        },
        ttl,
      );
      keyId = s.accessKeyId;
      data = {
        access_key: s.accessKeyId,
        secret_key: s.secret,
        security_token: s.token,
        arn: `arn:aws:sts::${r.account}:assumed-role/${r.name}/${sessionName}`,
      };
    } else {
      const u = state.findUser(options.account, role.user ?? "");
      if (u === undefined)
        return { status: 400, json: { errors: [`AWS: no user ${role.user ?? ""}`] } };
      const s = state.newSession(
        {
          kind: "session-token",
          account: u.account,
          user: u,
          mfa,
          mfaAtMs: mfa ? state.now() : undefined,
        },
        ttl,
      );
      keyId = s.accessKeyId;
      data = {
        access_key: s.accessKeyId,
        secret_key: s.secret,
        security_token: s.token,
        arn: u.arn,
      };
    }
    leases.set(leaseId, {
      id: leaseId,
      kind: role.credentialType,
      user,
      accessKeyId: keyId,
      revoked: false,
    });
    return {
      status: 200,
      json: {
        request_id: randomUUID(),
        lease_id: leaseId,
        renewable: role.credentialType === "iam_user",
        lease_duration: ttl,
        data,
        wrap_info: null,
        warnings: null,
        auth: null,
      },
    };
  }

  return vault;
}
