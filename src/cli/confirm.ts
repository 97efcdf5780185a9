import { AwsmfaError } from "../errors.ts";

/**
 * Asks a yes/no question on the terminal. Without a terminal it refuses
 * rather than guessing, and says which flag skips the question.
 */
export async function confirm(question: string, forceFlag: string): Promise<boolean> {
  const { openTty } = await import("../platform/tty.ts");
  const tty = await openTty({
    purpose: "a confirmation",
    hint: `Run again with ${forceFlag} to go ahead without asking.`,
  }).catch((e: unknown) => {
    throw e instanceof AwsmfaError ? e : new AwsmfaError("E_NO_TTY", String(e));
  });
  try {
    const answer = await tty.prompt(`${question} [y/N] `, { hidden: false });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    tty.close();
  }
}
