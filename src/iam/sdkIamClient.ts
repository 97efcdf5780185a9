/**
 * The real IamClient over @aws-sdk/client-iam. Heavy: loaded only through a
 * dynamic import by the commands that talk to IAM. Every call is bounded by
 * a deadline; calls that carry MFA codes are sent once (a code is single-use,
 * a retry after a lost answer would be refused).
 */
import {
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListMFADevicesCommand,
} from "@aws-sdk/client-iam";
import { AwsmfaError } from "../errors.ts";
import type { IamClient, IamClientOptions } from "./IamClient.ts";
import { iamError } from "./iamError.ts";

const quiet = (): void => undefined;
const SILENT = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

export function createSdkIamClient(options: IamClientOptions): IamClient {
  const clients = new Map<number, IAMClient>();
  const sdk = (maxAttempts: number): IAMClient => {
    let c = clients.get(maxAttempts);
    if (c === undefined) {
      c = new IAMClient({
        region: options.region,
        endpoint: options.endpoint,
        credentials: options.credentials,
        maxAttempts,
        logger: SILENT,
        requestHandler: {
          connectionTimeout: Math.min(5_000, options.timeoutMs),
          requestTimeout: options.timeoutMs + 1_000,
          throwOnRequestTimeout: true,
          logger: SILENT,
        },
      });
      clients.set(maxAttempts, c);
    }
    return c;
  };

  async function call<T>(
    operation: string,
    once: boolean,
    run: (c: IAMClient, abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort();
    }, options.timeoutMs);
    try {
      return await run(sdk(once ? 1 : 2), deadline.signal);
    } catch (e) {
      throw iamError(operation, e, options.endpoint);
    } finally {
      clearTimeout(timer);
    }
  }

  const missing = (operation: string, what: string) =>
    new AwsmfaError("E_IAM_BAD_ANSWER", `IAM's answer to ${operation} has no ${what}.`, {
      hint: `Check that ${options.endpoint} is an IAM endpoint.`,
    });

  return {
    getUser: () =>
      call("GetUser", false, async (c, abortSignal) => {
        const out = await c.send(new GetUserCommand({}), { abortSignal });
        if (out.User?.UserName === undefined || out.User.Arn === undefined) {
          throw missing("GetUser", "User");
        }
        return { userName: out.User.UserName, arn: out.User.Arn };
      }),
    createVirtualMfaDevice: (deviceName) =>
      call("CreateVirtualMFADevice", true, async (c, abortSignal) => {
        const out = await c.send(
          new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }),
          { abortSignal },
        );
        const d = out.VirtualMFADevice;
        if (d?.SerialNumber === undefined || d.Base32StringSeed === undefined) {
          throw missing("CreateVirtualMFADevice", "VirtualMFADevice");
        }
        return {
          serialNumber: d.SerialNumber,
          base32Seed: Buffer.from(d.Base32StringSeed).toString("ascii"),
        };
      }),
    enableMfaDevice: (input) =>
      call("EnableMFADevice", true, async (c, abortSignal) => {
        await c.send(
          new EnableMFADeviceCommand({
            UserName: input.userName,
            SerialNumber: input.serialNumber,
            AuthenticationCode1: input.code1,
            AuthenticationCode2: input.code2,
          }),
          { abortSignal },
        );
      }),
    deactivateMfaDevice: (input) =>
      call("DeactivateMFADevice", false, async (c, abortSignal) => {
        await c.send(
          new DeactivateMFADeviceCommand({
            UserName: input.userName,
            SerialNumber: input.serialNumber,
          }),
          { abortSignal },
        );
      }),
    deleteVirtualMfaDevice: (serialNumber) =>
      call("DeleteVirtualMFADevice", false, async (c, abortSignal) => {
        await c.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialNumber }), {
          abortSignal,
        });
      }),
    listMfaDevices: (userName) =>
      call("ListMFADevices", false, async (c, abortSignal) => {
        const out = await c.send(new ListMFADevicesCommand({ UserName: userName }), {
          abortSignal,
        });
        return (out.MFADevices ?? []).map((d) => ({
          serialNumber: d.SerialNumber ?? "",
          enableDate: d.EnableDate,
        }));
      }),
  };
}
