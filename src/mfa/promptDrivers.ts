/** The driver for a --prompt name other than the terminal (which the engine asks itself). */
import { kdialogPrompt } from "./kdialogPrompt.ts";
import { osascriptPrompt } from "./osascriptPrompt.ts";
import type { MfaPromptDriver, PromptDriverDeps } from "./promptDriver.ts";
import type { PromptName } from "./promptNames.ts";
import { ykmanPrompt } from "./ykmanPrompt.ts";
import { zenityPrompt } from "./zenityPrompt.ts";

const DRIVERS: Readonly<
  Record<Exclude<PromptName, "terminal">, (deps: PromptDriverDeps) => MfaPromptDriver>
> = {
  ykman: ykmanPrompt,
  zenity: zenityPrompt,
  kdialog: kdialogPrompt,
  osascript: osascriptPrompt,
};

export function promptDriver(
  name: Exclude<PromptName, "terminal">,
  deps: PromptDriverDeps,
): MfaPromptDriver {
  return DRIVERS[name](deps);
}
