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
  ListMFADevicesCommand,
} from "@aws-sdk/client-iam";
import type { IamClient, IamClientOptions } from "./IamClient.ts";
import { sdkIamCaller } from "./sdkIamCall.ts";

export function createSdkIamClient(options: IamClientOptions): IamClient {
  const { call, missing } = sdkIamCaller(options);
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
