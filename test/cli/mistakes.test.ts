/** Mistakes get one clear message and a non-zero exit, never a quiet success. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

let sb: Sandbox;
before(async () => {
  sb = await makeSandbox();
  await sb.writeConfig("[profile dev]\nregion = eu-west-1\n");
});
after(() => sb.cleanup());

test("clear <typo> fails instead of 'Removed 0 cached sessions' (regression)", async () => {
  const r = await sb.run(["clear", "dve"]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /No profile 'dve'/);
  assert.match(r.stderr, /hint: Run 'awsmfa list'/);
  const ok = await sb.run(["clear", "dev"]);
  assert.equal(ok.code, 0, ok.stderr);
});

test("an unreadable AWSMFA_RESOLVING_PROFILES is reported, not taken as empty (cycle detection stays on)", async () => {
  const r = await sb.run(["export", "dev", "-n"], {
    env: { AWSMFA_RESOLVING_PROFILES: "not json" },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /AWSMFA_RESOLVING_PROFILES is set but is not a JSON list/);
});

/** The usage-error output: exit 2, and stderr as its two lines (message, hint). */
async function usage(args: string[]): Promise<{ message: string; hint: string }> {
  const r = await sb.run(args);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, "");
  const [message = "", hint = "", ...more] = r.stderr.split("\n");
  assert.deepEqual(more, [""], `one message and one hint:\n${r.stderr}`);
  // Never node's parseArgs text (it has an unbalanced quote in it).
  assert.doesNotMatch(r.stderr, /To specify a positional argument|argument missing|ERR_PARSE_ARGS/);
  // Quotes balance (an apostrophe between letters, "aws-vault's", is none).
  const quotes = r.stderr.match(/(?<![a-z])'|'(?![a-z])/gi) ?? [];
  assert.equal(quotes.length % 2, 0, `unbalanced quotes:\n${r.stderr}`);
  return { message, hint };
}

test("regression (#9 item 6): an unknown option gets our own message, not node's parseArgs text", async () => {
  assert.deepEqual(await usage(["exec", "--query"]), {
    message: "awsmfa: exec: unknown option '--query'.",
    hint: "  hint: Run 'awsmfa help exec' for its options.",
  });
  // exec's command given without `--`: its options need the `--`.
  const { hint } = await usage(["exec", "dev", "aws", "s3", "ls", "--query", "x"]);
  assert.equal(
    hint,
    "  hint: To give '--query' to the command, put '--' before the command: awsmfa exec dev -- aws s3 ls --query ...",
  );
  // An option typo, a global one too, gets the nearest option.
  assert.match((await usage(["export", "dev", "--regoin", "x"])).hint, /Did you mean '--region'\?/);
  assert.match((await usage(["export", "dev", "--degub"])).hint, /Did you mean '--debug'\?/);
  assert.deepEqual(await usage(["export", "dev", "-x"]), {
    message: "awsmfa: export: unknown option '-x'.",
    hint: "  hint: Run 'awsmfa help export' for its options.",
  });
});

test("regression (#9 item 6): a missing option value, or a value on a flag, is said in our words", async () => {
  assert.deepEqual(await usage(["exec", "dev", "-d"]), {
    message: "awsmfa: exec: option -d/--duration needs a value.",
    hint: "  hint: Give it one: -d VALUE. Run 'awsmfa help exec' for its options.",
  });
  assert.match(
    (await usage(["export", "dev", "--format"])).message,
    /option -f\/--format needs a value\.$/,
  );
  assert.deepEqual(await usage(["exec", "dev", "--no-session=yes"]), {
    message: "awsmfa: exec: option -n/--no-session takes no value.",
    hint: "  hint: Write it as --no-session alone.",
  });
});

test("regression (#9 item 6): aws-vault habits point at their awsmfa equivalents", async () => {
  for (const flag of ["--json", "-j"]) {
    const { message, hint } = await usage(["exec", flag, "dev"]);
    assert.equal(message, `awsmfa: exec: unknown option '${flag}'.`);
    assert.match(hint, /'awsmfa export --format credential-process PROFILE'/);
  }
  assert.match(
    (await usage(["exec", "--server", "dev"])).hint,
    /not in awsmfa yet: 'awsmfa exec' puts the credentials in the command's environment/,
  );
  assert.match(
    (await usage(["list", "--profiles"])).hint,
    /'awsmfa list' \(or 'awsmfa list --json' for scripts\)/,
  );
});

test("regression (#9 item 6): an unknown profile names the nearest profiles (did you mean)", async () => {
  const r = await sb.run(["export", "dve", "-n"]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Profile 'dve' is not in /);
  assert.match(r.stderr, /hint: Did you mean 'dev'\? Otherwise add \[profile dve\]/);
  const far = await sb.run(["export", "production", "-n"]);
  assert.equal(far.code, 1, far.stderr);
  assert.doesNotMatch(far.stderr, /Did you mean/, "no suggestion when nothing is near");
});

test("regression (#9 item 6): 'awsmfa help <command>', 'version' and -v work; a command typo gets a suggestion", async () => {
  const viaFlag = await sb.run(["exec", "--help"]);
  const viaHelp = await sb.run(["help", "exec"]);
  assert.equal(viaHelp.code, 0, viaHelp.stderr);
  assert.equal(viaHelp.stdout, viaFlag.stdout);
  assert.match(viaHelp.stdout, /^Usage: awsmfa exec /);
  const main = await sb.run(["help"]);
  assert.equal(main.code, 0, main.stderr);
  assert.match(main.stdout, /'awsmfa help <command>'/);
  assert.match(main.stdout, /-v, --version/);
  const version = (await sb.run(["--version"])).stdout;
  assert.match(version, /^\d+\.\d+\.\d+/);
  for (const args of [["-v"], ["version"]]) {
    const r = await sb.run(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, version);
  }
  assert.deepEqual(await usage(["exe", "dev"]), {
    message: "awsmfa: Unknown command 'exe'.",
    hint: "  hint: Did you mean 'exec'? Run 'awsmfa help' for the list of commands.",
  });
  assert.match((await usage(["help", "exe"])).hint, /Did you mean 'exec'\?/);
});
