/**
 * Enrols a virtual MFA device for the IAM user behind some long-term keys,
 * as the IAM console does: create the device, show its QR code, take two
 * consecutive codes, enable it. Any failure after the device was created
 * (a rejected code, Ctrl-C, a lost connection) deletes the unconfirmed
 * device, so a retry can reuse the name.
 *
 * The seed goes from IAM's answer to the QR code on the terminal and
 * nowhere else: not to a file, a log, argv or an error message.
 */
import { AwsmfaError } from "../errors.ts";
import { checkMfaCode } from "../mfa/mfaCode.ts";
import type { IamClient, IamUser } from "./IamClient.ts";
import { otpauthUri } from "./otpauthUri.ts";

export interface EnrollDeps {
  readonly iam: IamClient;
  /** Shows `question` on the user's terminal and returns the line typed. */
  readonly ask: (question: string) => Promise<string>;
  /** The QR code of `text`, ready for the terminal. */
  readonly qr: (text: string) => Promise<string>;
  /** A line of progress for the user (stderr). */
  readonly info: (message: string) => void;
}

export interface EnrollInput {
  /** Default: the IAM user's name, as the console names a user's first device. */
  readonly deviceName?: string | undefined;
  /** Also print the Base32 seed under the QR code, for apps that cannot scan. */
  readonly showSecret: boolean;
}

export interface Enrolled {
  readonly user: IamUser;
  readonly serialNumber: string;
}

export async function enrollMfa(input: EnrollInput, deps: EnrollDeps): Promise<Enrolled> {
  const user = await deps.iam.getUser();
  const deviceName = input.deviceName ?? user.userName;
  const device = await deps.iam.createVirtualMfaDevice(deviceName);
  try {
    const qr = await deps.qr(otpauthUri(device.serialNumber, device.base32Seed));
    const secret = input.showSecret
      ? `Secret key (type it into the app instead of scanning): ${device.base32Seed}\r\n`
      : "";
    const intro =
      `${qr}\r\nScan this QR code with your authenticator app (device ${device.serialNumber}\r\n` +
      `for IAM user ${user.userName}).\r\n${secret}` +
      "Then type two consecutive codes: the one it shows now, and the next one after it changes.\r\n";
    const code1 = checkMfaCode(await deps.ask(`${intro}First code: `), "the first code typed");
    const code2 = checkMfaCode(
      await deps.ask("Next code (wait for the app to show a new one): "),
      "the second code typed",
    );
    if (code1 === code2) {
      throw new AwsmfaError("E_MFA_SAME_CODE", "The two codes are the same.", {
        hint: "Wait until the app shows a new code before typing the second one.",
      });
    }
    await deps.iam.enableMfaDevice({
      userName: user.userName,
      serialNumber: device.serialNumber,
      code1,
      code2,
    });
  } catch (e) {
    throw await withCleanup(e, device.serialNumber, deps);
  }
  return { user, serialNumber: device.serialNumber };
}

/** Deletes the unconfirmed device; the original error, saying what became of it. */
async function withCleanup(e: unknown, serial: string, deps: EnrollDeps): Promise<unknown> {
  try {
    await deps.iam.deleteVirtualMfaDevice(serial);
    deps.info(`awsmfa: deleted the unconfirmed device ${serial}.\n`);
    return e;
  } catch (cleanup) {
    const why = cleanup instanceof Error ? cleanup.message : String(cleanup);
    const original = e instanceof AwsmfaError ? e : undefined;
    return new AwsmfaError(
      original?.code ?? "E_MFA_ENROLL",
      `${original?.message ?? (e instanceof Error ? e.message : String(e))} The unconfirmed device ${serial} could not be deleted either (${why}).`,
      {
        hint: `Delete it before trying again: aws iam delete-virtual-mfa-device --serial-number ${serial}`,
        exitCode: original?.exitCode ?? 1,
        cause: e,
      },
    );
  }
}
