/**
 * Issue #12, shell completion: the scripts `awsmfa completion SHELL` prints,
 * loaded into real bash, fish and zsh, offer commands, the flags the
 * commands really parse, and the profile names of a sandbox config.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BIN, makeSandbox, runProcess, type Sandbox } from "../helpers/sandbox.ts";
import { hasTmux, startInTmux } from "../helpers/tmux.ts";
import { skipLoudly } from "./helpers.ts";

let sb: Sandbox;
let env: Record<string, string>;

const has = (cmd: string) => spawnSync(cmd, ["--version"]).status === 0;

before(async () => {
  sb = await makeSandbox();
  const bin = join(sb.home, "bin");
  await mkdir(bin);
  await writeFile(join(bin, "awsmfa"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(join(bin, "awsmfa"), 0o755);
  await sb.writeConfig(`[profile dev-alice]
region = eu-west-1

[profile prod-admin]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = dev-alice

[default]
region = us-east-1
`);
  await sb.writeCredentials(`[dev-alice-session]
aws_access_key_id = ASIAFAKE
aws_secret_access_key = x
aws_session_token = y
awsmfa_written_for = dev-alice
`);
  env = { ...sb.env, PATH: `${bin}:${sb.env.PATH ?? "/usr/bin:/bin"}` };
});
after(() => sb.cleanup());

async function complete(...words: string[]): Promise<string[]> {
  const r = await sb.run(["__complete", "--", ...words]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "");
}

test("__complete: commands, profile names from the config, option values; hidden from help", async () => {
  assert.deepEqual(await complete("ex"), ["exec", "export"]);
  assert.ok((await complete("")).includes("completion"));
  assert.ok(!(await complete("")).includes("__complete"));
  assert.deepEqual(await complete("exec", ""), ["default", "dev-alice", "prod-admin"]);
  assert.deepEqual(await complete("--debug", "export", "p"), ["prod-admin"]);
  assert.deepEqual(await complete("exec", "dev-alice", ""), []);
  assert.deepEqual(await complete("--prompt", "y"), ["ykman"]);
  assert.deepEqual(await complete("exec", "--prompt=k"), ["--prompt=kdialog"]);
  assert.deepEqual(await complete("export", "-f", "credential-"), ["credential-process"]);
  assert.deepEqual(await complete("import", "--profile", "dev"), ["dev-alice"]);
  assert.deepEqual(await complete("completion", ""), ["bash", "fish", "powershell", "zsh"]);
  assert.deepEqual(await complete("exec", "--", "aws", ""), []);
  const help = await sb.run(["--help"]);
  assert.ok(help.stdout.includes("completion"));
  assert.ok(!help.stdout.includes("__complete"));
});

test("__complete: the flags after a command are the ones its parser reads (exec's server flags, write's --to)", async () => {
  const exec = await complete("exec", "--");
  for (const f of [
    "--duration",
    "--no-session",
    "--mfa-token",
    "--region",
    "--server",
    "--ec2-server",
    "--prompt",
  ]) {
    assert.ok(exec.includes(f), `${f} in ${exec.join(" ")}`);
  }
  assert.ok(!exec.includes("--to"));
  assert.ok((await complete("write", "--t")).includes("--to"));
  // And the parser agrees: each offered flag of exec is accepted by it (no "unknown option").
  for (const f of exec.filter((f) => !["--help", "--version"].includes(f))) {
    const r = await sb.run([
      "exec",
      f,
      ...(["--duration", "--mfa-token", "--region", "--prompt", "--backend", "--file-dir"].includes(
        f,
      )
        ? ["x"]
        : []),
    ]);
    assert.doesNotMatch(r.stderr, /unknown option/, `${f}: ${r.stderr}`);
  }
});

test("__complete with a malformed config offers no profiles and prints nothing on stderr", async () => {
  const bad = await makeSandbox();
  try {
    await bad.writeConfig("[profile broken\nregion = x\n");
    const r = await bad.run(["__complete", "--", "exec", ""]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "");
  } finally {
    await bad.cleanup();
  }
});

test("completion: an unknown shell is a usage error naming the four", async () => {
  const r = await sb.run(["completion", "tcsh"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown shell 'tcsh'/);
  assert.match(r.stderr, /bash, zsh, fish, powershell/);
});

test("bash: the printed script registers a completion function that offers the sandbox's profiles", async (t) => {
  if (!has("bash")) {
    skipLoudly(t, "bash not installed");
    return;
  }
  const script = `eval "$(awsmfa completion bash)"
complete -p awsmfa
COMP_WORDS=(awsmfa exec ""); COMP_CWORD=2; _awsmfa_complete; echo "profiles: \${COMPREPLY[*]}"
COMP_WORDS=(awsmfa ex); COMP_CWORD=1; _awsmfa_complete; echo "commands: \${COMPREPLY[*]}"
COMP_WORDS=(awsmfa --prompt z); COMP_CWORD=2; _awsmfa_complete; echo "prompt: \${COMPREPLY[*]}"
`;
  const r = await runProcess("bash", ["--norc", "-c", script], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^complete .*-F _awsmfa_complete awsmfa$/m);
  assert.match(r.stdout, /^profiles: default dev-alice prod-admin$/m);
  assert.match(r.stdout, /^commands: exec export$/m);
  assert.match(r.stdout, /^prompt: zenity$/m);
});

test("fish: complete -C offers commands and the sandbox's profiles", async (t) => {
  if (!has("fish")) {
    skipLoudly(t, "fish not installed");
    return;
  }
  const script = `awsmfa completion fish | source
echo "== ex"; complete -C 'awsmfa ex'
echo "== exec"; complete -C 'awsmfa exec '
echo "== prod"; complete -C 'awsmfa --debug write pro'`;
  const r = await runProcess("fish", ["--no-config", "-c", script], env);
  assert.equal(r.code, 0, r.stderr);
  const section = (name: string) =>
    (r.stdout.split(`== ${name}\n`)[1] ?? "").split("==")[0]?.trim().split("\n") ?? [];
  assert.deepEqual(section("ex"), ["exec", "export"]);
  assert.deepEqual(section("exec"), ["default", "dev-alice", "prod-admin"]);
  assert.deepEqual(section("prod"), ["prod-admin"]);
});

test("zsh: Tab after 'awsmfa exec ' on a real terminal lists the sandbox's profiles", async (t) => {
  if (!has("zsh") || !hasTmux) {
    skipLoudly(t, "zsh or tmux not installed: cannot drive zsh's completion");
    return;
  }
  const zdot = join(sb.home, "zdot");
  await mkdir(zdot, { recursive: true });
  await writeFile(
    join(zdot, ".zshrc"),
    `autoload -Uz compinit && compinit -u -d ${join(zdot, ".zcompdump")}
eval "$(awsmfa completion zsh)"
PS1='zsh> '
`,
  );
  const pane = await startInTmux(sb.home, ["zsh", "-i"], { ...env, ZDOTDIR: zdot, TERM: "xterm" });
  t.after(() => pane.kill());
  await pane.waitFor("the zsh prompt", (s) => s.includes("zsh>"));
  await pane.typeRaw("awsmfa exec \t");
  const screen = await pane.waitFor("the profile list", (s) => s.includes("prod-admin"));
  assert.ok(screen.includes("dev-alice"), screen);
  assert.ok(screen.includes("default"), screen);
  assert.ok(!screen.includes("dev-alice-session"), screen);
});

test("powershell: the script registers a native completer", async (t) => {
  if (!has("pwsh")) {
    skipLoudly(t, "pwsh (PowerShell) not installed: its completion script is not exercised here");
    return;
  }
  const r = await runProcess(
    "pwsh",
    [
      "-NoProfile",
      "-Command",
      "awsmfa completion powershell | Out-String | Invoke-Expression; (TabExpansion2 -inputScript 'awsmfa exec ' -cursorColumn 12).CompletionMatches | ForEach-Object { $_.CompletionText }",
    ],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split(/\r?\n/), ["default", "dev-alice", "prod-admin"]);
});

test("every command file exports the options it parses, so completion offers them", async () => {
  const dir = join(import.meta.dirname, "../../src/cli/commands");
  for (const file of (await readdir(dir)).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
  )) {
    const mod: unknown = await import(join(dir, file));
    assert.equal(
      typeof mod === "object" && mod !== null ? typeof Reflect.get(mod, "options") : "none",
      "object",
      `src/cli/commands/${file} does not export its options ('export const options = {...}' passed to parseCommandArgs)`,
    );
  }
});
