/** IAM actions for key rotation and MFA enrolment. */
import { authorize } from "./authz.ts";
import { iamAdminActions } from "./iamAdmin.ts";
import { AwsFault, faults } from "./errors.ts";
import { Validator } from "./params.ts";
import { qrPng } from "./qr.ts";
import { newAccessKeyId, newSecret } from "./state.ts";
import type { DeviceState, UserState } from "./state.ts";
import type { ActionContext, ActionResult } from "./sts.ts";
import { iso } from "./sts.ts";
import { hotp, base32Decode, newBase32Seed, totpCounter } from "./totp.ts";

const USER_RE = /^[\w+=,.@-]+$/;
const MAX_KEYS = 2;

/** The user an action is about: UserName, or the calling user itself. */
function targetUser(ctx: ActionContext, action: string): UserState {
  const name = ctx.params.get("UserName");
  const p = ctx.principal;
  const v = new Validator();
  v.length(name, "userName", 1, 128);
  v.pattern(name, "userName", USER_RE, "[\\w+=,.@-]+");
  v.done();
  if (name === undefined) {
    if (p.kind === "user" || p.kind === "session-token") {
      authorize(ctx.state, p, action, p.user.arn);
      return p.user;
    }
    throw faults.validation("Must specify userName when calling with non-User credentials");
  }
  ctx.record.userName = name;
  const user = ctx.state.findUser(p.account, name);
  authorize(ctx.state, p, action, user?.arn ?? `arn:aws:iam::${p.account}:user/${name}`);
  if (user === undefined) throw faults.noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

function userXml(u: UserState) {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: iso(u.createdMs),
  };
}

function getUser(ctx: ActionContext): ActionResult {
  return { User: userXml(targetUser(ctx, "iam:GetUser")) };
}

function listAccessKeys(ctx: ActionContext): ActionResult {
  const u = targetUser(ctx, "iam:ListAccessKeys");
  return {
    UserName: u.name,
    AccessKeyMetadata: [...u.keys.values()].map((k) => ({
      UserName: u.name,
      AccessKeyId: k.id,
      Status: k.status,
      CreateDate: iso(k.createdMs),
    })),
    IsTruncated: false,
  };
}

function createAccessKey(ctx: ActionContext): ActionResult {
  const u = targetUser(ctx, "iam:CreateAccessKey");
  if (u.keys.size >= MAX_KEYS) {
    throw faults.limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS}`);
  }
  const key = {
    id: newAccessKeyId("AKIA"),
    secret: newSecret(),
    status: "Active" as const,
    createdMs: ctx.state.now(),
  };
  ctx.state.addKey(u, key);
  return {
    AccessKey: {
      UserName: u.name,
      AccessKeyId: key.id,
      Status: key.status,
      SecretAccessKey: key.secret,
      CreateDate: iso(key.createdMs),
    },
  };
}

function keyOf(ctx: ActionContext, u: UserState) {
  const id = ctx.params.required("AccessKeyId");
  const v = new Validator();
  v.length(id, "accessKeyId", 16, 128);
  v.pattern(id, "accessKeyId", /^\w+$/, "[\\w]+");
  v.done();
  const key = u.keys.get(id);
  if (key === undefined) throw faults.noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  return key;
}

function updateAccessKey(ctx: ActionContext): ActionResult {
  const u = targetUser(ctx, "iam:UpdateAccessKey");
  const status = ctx.params.required("Status");
  if (status !== "Active" && status !== "Inactive") {
    throw faults.validation(
      `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
    );
  }
  keyOf(ctx, u).status = status;
  return undefined;
}

function deleteAccessKey(ctx: ActionContext): ActionResult {
  const u = targetUser(ctx, "iam:DeleteAccessKey");
  ctx.state.deleteKey(u, keyOf(ctx, u).id);
  return undefined;
}

function createVirtualMfaDevice(ctx: ActionContext): ActionResult {
  const p = ctx.principal;
  const name = ctx.params.required("VirtualMFADeviceName");
  const path = ctx.params.get("Path") ?? "/";
  const v = new Validator();
  v.length(name, "virtualMFADeviceName", 1, 226);
  v.pattern(name, "virtualMFADeviceName", /^[\w+=,.@-]+$/, "[\\w+=,.@-]+");
  v.pattern(path, "path", /^\/([\x21-\x7e]*\/)?$/, "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
  v.done();
  const serial = `arn:aws:iam::${p.account}:mfa${path}${name}`;
  authorize(ctx.state, p, "iam:CreateVirtualMFADevice", serial);
  if (ctx.state.devices.has(serial)) {
    throw faults.entityAlreadyExists("MFADevice entity at the same path and name already exists.");
  }
  const seed = newBase32Seed();
  ctx.state.devices.set(serial, {
    serial,
    account: p.account,
    seed,
    user: undefined,
    enabledMs: undefined,
    lastCounter: -1,
  });
  const acct = ctx.state.accounts.get(p.account);
  const label = `Amazon Web Services:${name}@${acct?.alias ?? p.account}`;
  const uri = `otpauth://totp/${encodeURIComponent(label)}?secret=${seed}&issuer=${encodeURIComponent("Amazon Web Services")}`;
  ctx.record.serialNumber = serial;
  return {
    VirtualMFADevice: {
      SerialNumber: serial,
      // Blobs travel base64-encoded in awsQuery XML: the seed's ASCII text, and the PNG bytes.
      Base32StringSeed: Buffer.from(seed, "ascii").toString("base64"),
      QRCodePNG: qrPng(uri).toString("base64"),
    },
  };
}

function deviceFor(ctx: ActionContext): DeviceState {
  const serial = ctx.params.required("SerialNumber");
  ctx.record.serialNumber = serial;
  const d = ctx.state.devices.get(serial);
  if (d === undefined || d.account !== ctx.principal.account) {
    throw faults.noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
  }
  return d;
}

function enableMfaDevice(ctx: ActionContext): ActionResult {
  const u = targetUser(ctx, "iam:EnableMFADevice");
  const code1 = ctx.params.required("AuthenticationCode1");
  const code2 = ctx.params.required("AuthenticationCode2");
  const v = new Validator();
  for (const [c, f] of [
    [code1, "authenticationCode1"],
    [code2, "authenticationCode2"],
  ] as const) {
    v.length(c, f, 6, 6);
    v.pattern(c, f, /^\d+$/, "[\\d]+");
  }
  v.done();
  const d = deviceFor(ctx);
  ctx.record.mfaCodeSent = true;
  if (d.user !== undefined) throw faults.entityAlreadyExists("MFA Device is already in use.");
  // Two consecutive codes, the second no later than one step ahead of now.
  const key = base32Decode(d.seed);
  const now = totpCounter(ctx.state.now());
  const first = [now - 2, now - 1, now].find(
    (c) => c > d.lastCounter && hotp(key, c) === code1 && hotp(key, c + 1) === code2,
  );
  if (first === undefined) throw faults.invalidAuthenticationCode();
  d.lastCounter = first + 1;
  d.user = u.name;
  d.enabledMs = ctx.state.now();
  ctx.record.mfaCodeUsed = true;
  return undefined;
}

function deactivateMfaDevice(ctx: ActionContext): ActionResult {
  const u = targetUser(ctx, "iam:DeactivateMFADevice");
  const serial = ctx.params.required("SerialNumber");
  ctx.record.serialNumber = serial;
  const d = ctx.state.devices.get(serial);
  if (d === undefined || d.account !== u.account || d.user !== u.name) {
    throw faults.noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
  }
  d.user = undefined;
  d.enabledMs = undefined;
  return undefined;
}

function deleteVirtualMfaDevice(ctx: ActionContext): ActionResult {
  const serial = ctx.params.required("SerialNumber");
  authorize(ctx.state, ctx.principal, "iam:DeleteVirtualMFADevice", serial);
  const d = deviceFor(ctx);
  if (d.user !== undefined) {
    throw new AwsFault(409, "DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.");
  }
  ctx.state.devices.delete(serial);
  return undefined;
}

function listMfaDevices(ctx: ActionContext): ActionResult {
  const u = targetUser(ctx, "iam:ListMFADevices");
  return {
    MFADevices: ctx.state.devicesOf(u).map((d) => ({
      UserName: u.name,
      SerialNumber: d.serial,
      EnableDate: iso(d.enabledMs ?? ctx.state.now()),
    })),
    IsTruncated: false,
  };
}

export const iamActions: Record<string, (ctx: ActionContext) => ActionResult> = {
  GetUser: getUser,
  ListAccessKeys: listAccessKeys,
  CreateAccessKey: createAccessKey,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  CreateVirtualMFADevice: createVirtualMfaDevice,
  EnableMFADevice: enableMfaDevice,
  DeactivateMFADevice: deactivateMfaDevice,
  DeleteVirtualMFADevice: deleteVirtualMfaDevice,
  ListMFADevices: listMfaDevices,
  ...iamAdminActions,
};
