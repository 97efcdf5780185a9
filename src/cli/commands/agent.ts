import pkg from "../../../package.json" with { type: "json" };
import { startAgent } from "../../agent/agentServer.ts";
import { agentSocketPath } from "../../agent/socketPath.ts";
import { formatDuration, parseDuration } from "../../credentials/durations.ts";
import { AwsmfaError, usageError } from "../../errors.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";

export const usage = `Usage: awsmfa agent [--idle D] [--max-lifetime D]

Runs the unlock agent in the foreground: it holds the file store's key for
this login session, so the passphrase is asked once (awsmfa starts it by
itself when you type the passphrase; 'awsmfa unlock' starts it on purpose).
It never holds or hands out the passphrase, and its socket is private to
you (a 0700 directory under $XDG_RUNTIME_DIR, or under /tmp; AWSMFA_AGENT_SOCK
names another). 'awsmfa lock' makes it forget the key at once.

  --idle D            forget the key and exit after D without use
                        (default 1h; AWSMFA_AGENT_IDLE)
  --max-lifetime D    exit after D whatever happens (default 12h;
                        AWSMFA_AGENT_MAX_LIFETIME)

AWSMFA_AGENT=off stops awsmfa from using or starting an agent.
`;

export const DEFAULT_IDLE_S = 3600;
export const DEFAULT_MAX_LIFETIME_S = 12 * 3600;

export const options = {
  idle: { type: "string" },
  "max-lifetime": { type: "string" },
} as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("agent", input.argv, options);
  atMostPositionals("agent", positionals, 0);
  const { ctx } = input;
  const host = ctx.agent;
  if (host === undefined) {
    throw new AwsmfaError(
      "E_AGENT_UNSUPPORTED",
      `The awsmfa agent needs unix sockets; this is ${ctx.platform}.`,
      {
        hint: "Set AWSMFA_FILE_PASSPHRASE, or use an OS keyring (--backend).",
      },
    );
  }
  const idle = seconds(values.idle ?? ctx.env.AWSMFA_AGENT_IDLE, "--idle", DEFAULT_IDLE_S);
  const max = seconds(
    values["max-lifetime"] ?? ctx.env.AWSMFA_AGENT_MAX_LIFETIME,
    "--max-lifetime",
    DEFAULT_MAX_LIFETIME_S,
  );
  const socketPath = agentSocketPath({ env: ctx.env, uid: host.uid, tmpdir: host.tmpdir });
  let stopped: (why: string) => void = () => undefined;
  const done = new Promise<string>((resolve) => (stopped = resolve));
  // SIGTERM ends the process as usual; the socket it leaves is found dead
  // and replaced by the next agent.
  await startAgent({
    socketPath,
    uid: host.uid,
    version: pkg.version,
    clock: ctx.clock,
    idleMs: idle * 1000,
    maxLifetimeMs: max * 1000,
    onStop: (why) => {
      stopped(why);
    },
  });
  input.debug(
    `agent listening on ${socketPath}: idle ${formatDuration(idle)}, at most ${formatDuration(max)}`,
  );
  input.debug(`agent stopped: ${await done}`);
  return 0;
}

function seconds(raw: string | undefined, what: string, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const s = parseDuration(raw);
  if (s === undefined || s <= 0) {
    throw usageError(`${what} '${raw}' is not a duration.`, "Use seconds or a unit: 900, 15m, 8h.");
  }
  return s;
}
