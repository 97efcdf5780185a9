/**
 * TEST-ONLY process entry point for the engine, used by the concurrency test
 * before (and independently of) the CLI: builds real EngineDeps (encrypted
 * file store, file locks, the real SDK-backed STS factory, config from
 * AWS_CONFIG_FILE) and prints the credentials as JSON on stdout.
 *
 *   tsx test/credentials/driver.ts <profile> [mfa-token]
 *
 * Env: AWSMFA_FILE_DIR (the store), AWSMFA_FILE_PASSPHRASE, AWSMFA_LOCK_DIR,
 * AWS_CONFIG_FILE, AWS_ENDPOINT_URL_STS. The MFA code on argv is a fake
 * one from fake-aws; real invocations never take a code on argv.
 */
import { homedir } from "node:os";
import { loadAwsConfig } from "../../src/config/loadAwsConfig.ts";
import { getCredentials } from "../../src/credentials/getCredentials.ts";
import { processRunner } from "../../src/credentials/runProcess.ts";
import { stsFactory } from "../../src/aws/stsFactory.ts";
import { AwsmfaError, isAwsmfaError } from "../../src/errors.ts";
import { systemClock } from "../../src/platform/clock.ts";
import { fileStore } from "../../src/store/file/fileStore.ts";

const [profile, token] = process.argv.slice(2);
const env = process.env;
const need = (name: string): string => {
  const v = env[name];
  if (v === undefined || v === "") throw new Error(`driver: ${name} is not set`);
  return v;
};

try {
  if (profile === undefined) throw new Error("driver: no profile given");
  const passphrase = need("AWSMFA_FILE_PASSPHRASE");
  const store = fileStore({
    dir: need("AWSMFA_FILE_DIR"),
    passphrase: () => Promise.resolve(passphrase),
    clock: systemClock,
    scrypt: { N: 2 ** 10, r: 8, p: 1 },
  });
  const config = await loadAwsConfig({ env, homedir: homedir() });
  const creds = await getCredentials(
    {
      clock: systemClock,
      env,
      homedir: homedir(),
      config,
      store,
      lockDir: need("AWSMFA_LOCK_DIR"),
      debug: (m) => {
        if (env.DRIVER_DEBUG === "1") process.stderr.write(`debug: ${m}\n`);
      },
      warn: (m) => process.stderr.write(`warning: ${m}\n`),
      mfa: {
        prompt: () =>
          Promise.reject(new AwsmfaError("E_NO_TTY", "No terminal in the test driver.")),
      },
      runProcess: processRunner(process.platform),
      sts: stsFactory,
    },
    { profile, ...(token === undefined || token === "" ? {} : { mfaToken: token }) },
  );
  process.stdout.write(
    JSON.stringify({ ...creds, expiration: creds.expiration?.toISOString() }) + "\n",
  );
} catch (e) {
  process.stderr.write(
    isAwsmfaError(e)
      ? `${e.code}: ${e.message}\n`
      : `${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exitCode = 1;
}
