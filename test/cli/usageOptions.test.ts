/**
 * Help and parser cannot drift (#11): every option a command parses is in
 * its usage text, and every --flag its usage text names is one it parses
 * (or a global option). Error codes: every code in the closed list is
 * raised somewhere, so the list stays the set of codes users can see.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { GLOBAL_FLAGS } from "../../src/cli/args.ts";
import { ERROR_CODES } from "../../src/errors.ts";

const COMMANDS = join(import.meta.dirname, "../../src/cli/commands");

test("regression (#11): every command's usage names exactly the options it parses", async () => {
  const globals = new Set([...GLOBAL_FLAGS.keys()]);
  const drift: string[] = [];
  for (const file of (await readdir(COMMANDS)).filter((f) => f.endsWith(".ts"))) {
    const mod: unknown = await import(join(COMMANDS, file));
    const usage: unknown =
      typeof mod === "object" && mod !== null ? Reflect.get(mod, "usage") : undefined;
    const options: unknown =
      typeof mod === "object" && mod !== null ? Reflect.get(mod, "options") : undefined;
    if (typeof usage !== "string" || typeof options !== "object" || options === null) {
      drift.push(`${file}: no usage text or options`);
      continue;
    }
    const parsed = new Set(Object.keys(options).map((name) => `--${name}`));
    for (const flag of parsed) {
      if (!new RegExp(`${flag}(?![\\w-])`).test(usage))
        drift.push(`${file}: parses ${flag}, usage does not say`);
    }
    // The usage line and the option list; prose may quote other tools' flags.
    const own = usage
      .split("\n")
      .filter((l) => l.startsWith("Usage: awsmfa") || /^ {2}(-\w, )?--[a-z]/.test(l))
      .join("\n");
    for (const [flag] of own.matchAll(/(?<![\w-])--[a-z][\w-]*/g)) {
      if (!parsed.has(flag) && !globals.has(flag))
        drift.push(`${file}: usage names ${flag}, parser has none`);
    }
  }
  assert.deepEqual(drift, []);
});

test("regression (#11): ErrorCode is a closed list, and every code in it is raised somewhere", async () => {
  const sources: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".ts") && e.name !== "errors.ts")
        sources.push(await readFile(p, "utf8"));
    }
  };
  await walk(join(import.meta.dirname, "../../src"));
  const all = sources.join("\n");
  assert.deepEqual(
    ERROR_CODES.filter((c) => !all.includes(`"${c}"`)),
    [],
  );
});
