/**
 * Wires the credential engine to the real world for a command: config,
 * store, terminal prompt, process runner and the (lazily loaded) STS client.
 */
import { stsFactory } from "../aws/stsFactory.ts";
import { getCredentials } from "../credentials/getCredentials.ts";
import { processRunner } from "../credentials/runProcess.ts";
import type { CredentialRequest, ResolvedCredentials } from "../credentials/types.ts";
import type { AwsConfig } from "../config/types.ts";
import type { SecretStore } from "../store/SecretStore.ts";
import type { CommandInput } from "./command.ts";
import { loadConfig, lockDir, openSecretStore } from "./services.ts";
import { terminalOverlays } from "../platform/terminalOverlays.ts";
import { spinner } from "./spinner.ts";
import type { MfaPromptDriver } from "../mfa/promptDriver.ts";
import { ssoDeps } from "./ssoDeps.ts";

export interface EngineSession {
  readonly config: AwsConfig;
  readonly store: SecretStore;
  resolve(req: CredentialRequest): Promise<ResolvedCredentials>;
}

export async function openEngine(input: CommandInput): Promise<EngineSession> {
  const { ctx } = input;
  // The store first, unlocking early: with the passphrase in the environment
  // its KDF runs while the config is read. (No prompt happens here: a
  // passphrase from the terminal is asked when a secret is first needed,
  // after the config was read, so a malformed file still fails first.)
  const store = await openSecretStore(input, { unlockEarly: true });
  const config = await loadConfig(input);
  const locks = await lockDir(input);
  const prompt = async (question: string): Promise<string> => {
    const { openTty } = await import("../platform/tty.ts");
    const tty = await openTty({
      purpose: "the MFA code",
      hint: "Give the code with --mfa-token CODE, or set mfa_process in the profile.",
    });
    try {
      return await tty.prompt(question, { hidden: false });
    } finally {
      tty.close();
    }
  };
  const chosen = input.globals.prompt;
  const driver: MfaPromptDriver | undefined =
    chosen === undefined || chosen === "terminal"
      ? undefined
      : {
          name: chosen,
          // Loaded when a code is needed: a cached run starts no driver.
          ask: async (req) => {
            const { promptDriver } = await import("../mfa/promptDrivers.ts");
            const { runPromptTool } = await import("../mfa/runPromptTool.ts");
            return promptDriver(chosen, {
              env: ctx.env,
              runTool: runPromptTool,
              debug: input.debug,
            }).ask(req);
          },
        };
  return {
    config,
    store,
    resolve: (req) =>
      getCredentials(
        {
          clock: ctx.clock,
          env: ctx.env,
          homedir: ctx.homedir,
          config,
          store,
          lockDir: locks,
          debug: input.debug,
          warn: (message) => {
            ctx.stderr(`awsmfa: warning: ${message}\n`);
          },
          mfa: { prompt, ...(driver === undefined ? {} : { driver }) },
          runProcess: processRunner(ctx.platform),
          sts: stsFactory,
          sso: ssoDeps(ctx),
          ...(ctx.stderrIsTty
            ? {
                progress: spinner({
                  write: ctx.stderr,
                  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
                  clearInterval,
                  overlays: terminalOverlays,
                }),
              }
            : {}),
        },
        req,
      ),
  };
}
