/**
 * The ways an MFA code can be asked for (`--prompt`, AWSMFA_PROMPT,
 * aws-vault's AWS_VAULT_PROMPT). Names only: the CLI checks a value against
 * these without loading any driver.
 */
export const PROMPT_NAMES = ["terminal", "ykman", "zenity", "kdialog", "osascript"] as const;

export type PromptName = (typeof PROMPT_NAMES)[number];

export function isPromptName(value: string): value is PromptName {
  return PROMPT_NAMES.some((n) => n === value);
}
