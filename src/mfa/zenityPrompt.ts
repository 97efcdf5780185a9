/**
 * `--prompt zenity`: a GTK entry dialog, for desktops where awsmfa runs
 * without a terminal (an IDE's AWS toolkit calling credential_process).
 * The serial goes in as one argv element; zenity prints the entry on stdout
 * and exits 1 on Cancel.
 */
import { askWithTool } from "./askWithTool.ts";
import type { MfaPromptDriver, PromptDriverDeps } from "./promptDriver.ts";

export function zenityArgs(serial: string): string[] {
  return ["--entry", "--title", "awsmfa", "--text", `Enter MFA code for ${serial}`];
}

export function zenityPrompt(deps: PromptDriverDeps): MfaPromptDriver {
  return {
    name: "zenity",
    ask: (req) =>
      askWithTool(deps, req, {
        prompt: "zenity",
        file: "zenity",
        args: zenityArgs(req.serial),
        stdio: "none",
        install: "zenity",
        exit1IsCancel: true,
      }),
  };
}
