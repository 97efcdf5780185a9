/**
 * `--prompt ykman`: the code from a YubiKey's OATH applet, as aws-vault
 * reads it: `ykman [--device SERIAL] oath accounts code --single NAME`.
 * NAME is YKMAN_OATH_CREDENTIAL_NAME, else the mfa_serial (the name
 * `ykman oath accounts add` is usually given); SERIAL, the key to use when
 * several are plugged in, is YKMAN_OATH_DEVICE_SERIAL (aws-vault's names).
 * ykman gets the terminal as stdin and stderr, so "Touch your YubiKey"
 * (a touch-required credential) reaches the user even when a
 * credential_process caller captures our stderr.
 */
import { nonEmpty, type Env } from "../platform/env.ts";
import { askWithTool } from "./askWithTool.ts";
import type { MfaPromptDriver, PromptDriverDeps } from "./promptDriver.ts";

export function ykmanArgs(serial: string, env: Env): string[] {
  const name = nonEmpty(env.YKMAN_OATH_CREDENTIAL_NAME) ?? serial;
  const device = nonEmpty(env.YKMAN_OATH_DEVICE_SERIAL);
  return [
    ...(device === undefined ? [] : ["--device", device]),
    "oath",
    "accounts",
    "code",
    "--single",
    name,
  ];
}

export function ykmanPrompt(deps: PromptDriverDeps): MfaPromptDriver {
  return {
    name: "ykman",
    ask: (req) =>
      askWithTool(deps, req, {
        prompt: "ykman",
        file: "ykman",
        args: ykmanArgs(req.serial, deps.env),
        stdio: "terminal",
        install: "YubiKey Manager (ykman)",
        exit1IsCancel: false,
      }),
  };
}
