/**
 * `--prompt kdialog`: KDE's input box, for desktops without a terminal.
 * kdialog prints the text on stdout and exits 1 on Cancel.
 */
import { askWithTool } from "./askWithTool.ts";
import type { MfaPromptDriver, PromptDriverDeps } from "./promptDriver.ts";

export function kdialogArgs(serial: string): string[] {
  return ["--title", "awsmfa", "--inputbox", `Enter MFA code for ${serial}`];
}

export function kdialogPrompt(deps: PromptDriverDeps): MfaPromptDriver {
  return {
    name: "kdialog",
    ask: (req) =>
      askWithTool(deps, req, {
        prompt: "kdialog",
        file: "kdialog",
        args: kdialogArgs(req.serial),
        stdio: "none",
        install: "kdialog",
        exit1IsCancel: true,
      }),
  };
}
