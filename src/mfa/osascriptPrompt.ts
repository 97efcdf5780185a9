/**
 * `--prompt osascript`: a macOS dialog. The AppleScript is fixed text; the
 * serial reaches it as an argument (`on run argv`), so no value is ever
 * spliced into a script. osascript exits 1 on Cancel ("User canceled").
 */
import { askWithTool } from "./askWithTool.ts";
import type { MfaPromptDriver, PromptDriverDeps } from "./promptDriver.ts";

const SCRIPT = [
  "on run argv",
  'text returned of (display dialog ("Enter MFA code for " & item 1 of argv) default answer "" with title "awsmfa")',
  "end run",
];

export function osascriptArgs(serial: string): string[] {
  return [...SCRIPT.flatMap((line) => ["-e", line]), serial];
}

export function osascriptPrompt(deps: PromptDriverDeps): MfaPromptDriver {
  return {
    name: "osascript",
    ask: (req) =>
      askWithTool(deps, req, {
        prompt: "osascript",
        file: "osascript",
        args: osascriptArgs(req.serial),
        stdio: "none",
        install: "nothing: osascript comes with macOS, and this prompt works only there",
        exit1IsCancel: true,
      }),
  };
}
