/**
 * A profile's credential_process: run with our environment (less the store
 * passphrase) and the profiles being resolved, so a process that calls
 * awsmfa back for the same profile is caught as a cycle.
 */
import { AwsmfaError, redactKeyId } from "../../errors.ts";
import { inheritedEnv } from "../../platform/inheritedEnv.ts";
import { parseCredentialProcessOutput } from "../credentialProcess.ts";
import { RESOLVING_VAR } from "../resolvingProfiles.ts";
import type { SourceKind } from "./SourceContext.ts";

const CREDENTIAL_PROCESS_TIMEOUT_MS = 300_000;

export const processSource: SourceKind<"credential-process"> = {
  async load(source, { deps, resolving }) {
    const at =
      source.where === undefined ? "" : ` (${source.where.file}:${String(source.where.line)})`;
    const what = `credential_process of profile ${source.profile}${at}`;
    deps.debug(`running the ${what}`);
    const env = inheritedEnv(deps.env);
    env[RESOLVING_VAR] = JSON.stringify(resolving);
    const r = await deps.runProcess(source.command, {
      env,
      timeoutMs: CREDENTIAL_PROCESS_TIMEOUT_MS,
      what,
    });
    if (r.code !== 0) {
      throw new AwsmfaError(
        "E_CREDENTIAL_PROCESS_FAILED",
        `The ${what} failed (${r.code === null ? "killed by a signal" : `exit code ${String(r.code)}`}).`,
        { hint: "Run the command by hand to see its error." },
      );
    }
    const c = parseCredentialProcessOutput(r.stdout, what, deps.clock.now());
    deps.debug(`the ${what} gave key ${redactKeyId(c.accessKeyId)}`);
    return c;
  },
  describe: (source) => `the keys from the credential_process of profile ${source.profile}`,
};
