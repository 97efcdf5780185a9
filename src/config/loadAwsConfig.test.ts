import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAwsConfig } from "./loadAwsConfig.ts";
import { awsConfigPaths, displayPath, expandHome } from "./paths.ts";

async function home(): Promise<string> {
  const h = await mkdtemp(join(tmpdir(), "awsmfa-home-"));
  await mkdir(join(h, ".aws"));
  return h;
}

test("paths: defaults, env overrides, empty means unset, ~ expansion", () => {
  assert.deepEqual(awsConfigPaths({}, "/h"), {
    configFile: "/h/.aws/config",
    credentialsFile: "/h/.aws/credentials",
  });
  assert.deepEqual(
    awsConfigPaths({ AWS_CONFIG_FILE: "~/c", AWS_SHARED_CREDENTIALS_FILE: "/abs/k" }, "/h"),
    { configFile: "/h/c", credentialsFile: "/abs/k" },
  );
  assert.equal(awsConfigPaths({ AWS_CONFIG_FILE: "" }, "/h").configFile, "/h/.aws/config");
  assert.equal(expandHome("~", "/h"), "/h");
  assert.equal(expandHome("~other/x", "/h"), "~other/x");
  assert.equal(displayPath("/h/.aws/config", "/h"), "~/.aws/config");
  assert.equal(displayPath("/hx/config", "/h"), "/hx/config");
});

test("reads both files, merges keys (credentials win) and labels locations with ~", async () => {
  const h = await home();
  try {
    await writeFile(
      join(h, ".aws/config"),
      "[profile a]\nregion = us-east-1\naws_access_key_id = FROMCONFIG\n",
    );
    await writeFile(
      join(h, ".aws/credentials"),
      "[a]\naws_access_key_id = AKIAFROMCREDS\naws_secret_access_key = s\n[only]\nregion = x\n",
    );
    const c = await loadAwsConfig({ env: {}, homedir: h });
    assert.equal(c.configFile, join(h, ".aws/config"));
    assert.equal(c.configFileLabel, "~/.aws/config");
    const a = c.profiles.get("a");
    assert.equal(a?.staticKeys?.accessKeyId, "AKIAFROMCREDS");
    assert.deepEqual(a.where["region"], { file: "~/.aws/config", line: 2 });
    assert.deepEqual([...c.profiles.keys()], ["a", "only"]);
    assert.equal(c.profiles.get("only")?.inConfig, false);
  } finally {
    await rm(h, { recursive: true, force: true });
  }
});

test("missing files are empty; AWS_CONFIG_FILE is honoured", async () => {
  const h = await home();
  try {
    const c = await loadAwsConfig({ env: {}, homedir: h });
    assert.equal(c.profiles.size, 0);
    await writeFile(join(h, "alt"), "[profile z]\nregion = r\n");
    const d = await loadAwsConfig({ env: { AWS_CONFIG_FILE: "~/alt" }, homedir: h });
    assert.equal(d.profiles.get("z")?.region, "r");
    assert.equal(d.profiles.get("z")?.location.file, "~/alt");
  } finally {
    await rm(h, { recursive: true, force: true });
  }
});

test("an unreadable or malformed file is an error, never an empty config", async () => {
  const h = await home();
  try {
    await mkdir(join(h, ".aws/credentials"));
    await assert.rejects(loadAwsConfig({ env: {}, homedir: h }), (e: Error & { code?: string }) => {
      assert.equal(e.code, "E_CONFIG_READ");
      assert.match(e.message, /~\/\.aws\/credentials: it is a directory/);
      return true;
    });
    await rm(join(h, ".aws/credentials"), { recursive: true });
    await writeFile(join(h, ".aws/config"), "[profile a]\nregion = x\n\nregion us-east-1\n");
    await assert.rejects(loadAwsConfig({ env: {}, homedir: h }), {
      code: "E_CONFIG_SYNTAX",
      message:
        "~/.aws/config:4: this line is not a [section] header, a 'key = value' pair or a comment.",
    });
  } finally {
    await rm(h, { recursive: true, force: true });
  }
});

test("regression (#9 item 5): a config file named by AWS_CONFIG_FILE that does not exist is an error, not an empty config", async () => {
  const h = await home();
  try {
    await writeFile(join(h, ".aws/config"), "[profile carol]\nmfa_serial = arn:aws:iam::1:mfa/c\n");
    await assert.rejects(loadAwsConfig({ env: { AWS_CONFIG_FILE: "~/.aws/confg" }, homedir: h }), {
      code: "E_CONFIG_NOT_FOUND",
      message: "The config file ~/.aws/confg named by AWS_CONFIG_FILE does not exist.",
    });
    // add --add-config is about to create it.
    const creating = await loadAwsConfig({
      env: { AWS_CONFIG_FILE: "~/.aws/confg" },
      homedir: h,
      configMayBeMissing: true,
    });
    assert.equal(creating.configFileExists, false);
    // The default file and a named credentials file may be missing; it is recorded.
    await rm(join(h, ".aws/config"));
    const c = await loadAwsConfig({
      env: { AWS_SHARED_CREDENTIALS_FILE: "~/nowhere" },
      homedir: h,
    });
    assert.equal(c.configFileExists, false);
    assert.equal(c.credentialsFileExists, false);
  } finally {
    await rm(h, { recursive: true, force: true });
  }
});

test(
  "regression (#9 item 10): a FIFO as the config or credentials file is refused, not read forever",
  { timeout: 30_000 },
  async () => {
    const h = await home();
    try {
      for (const name of ["config", "credentials"]) {
        const p = join(h, ".aws", name);
        execFileSync("mkfifo", [p]);
        await assert.rejects(loadAwsConfig({ env: {}, homedir: h }), {
          code: "E_CONFIG_READ",
          message: `Cannot read ~/.aws/${name}: it is a FIFO (named pipe), not a regular file.`,
        });
        await rm(p);
      }
    } finally {
      await rm(h, { recursive: true, force: true });
    }
  },
);
