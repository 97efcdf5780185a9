/**
 * Review (#10) of lazyAwsConfig: whenever it returns a config, every
 * services and sso-session lookup must equal buildAwsConfig's over the whole
 * parse. In the config file `[services a]` and `[profile services.a]` both
 * have the SDK name `services.a` (so do `[sso-session a]` and
 * `[profile sso-session.a]`): the later section wins, as in the SDK, and
 * the whole parse then has no services (sso-session) `a`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildAwsConfig } from "../../src/config/buildAwsConfig.ts";
import { parseIni } from "../../src/config/IniDocument.ts";
import { lazyAwsConfig } from "../../src/config/lazyAwsConfig.ts";

function both(configText: string) {
  const lazy = lazyAwsConfig({
    configFile: "/h/.aws/config",
    credentialsFile: "/h/.aws/credentials",
    configText,
    credentialsText: "",
    configLabel: "~/.aws/config",
    credentialsLabel: "~/.aws/credentials",
  });
  const full = buildAwsConfig({
    configFile: "/h/.aws/config",
    credentialsFile: "/h/.aws/credentials",
    configDoc: parseIni(configText, "~/.aws/config"),
    credentialsDoc: parseIni("", "~/.aws/credentials"),
  });
  assert.ok(lazy !== undefined, "a plain file takes the lazy path");
  return { lazy, full };
}

test("review (#10): a [profile services.a] after [services a] hides the services section, lazily too", () => {
  for (const config of [
    "[services a]\nsts =\n  endpoint_url = http://127.0.0.1:1\n\n[profile services.a]\nregion = eu-west-1\n",
    "[services a]\nsts =\n  endpoint_url = http://127.0.0.1:1\n\n[profile.services.a]\nregion = eu-west-1\n",
    "[profile services.a]\nregion = eu-west-1\n\n[services a]\nsts =\n  endpoint_url = http://127.0.0.1:1\n",
  ]) {
    const { lazy, full } = both(config);
    assert.deepEqual(lazy.services.get("a"), full.services.get("a"), JSON.stringify(config));
    assert.equal(lazy.services.has("a"), full.services.has("a"), JSON.stringify(config));
    assert.deepEqual(
      lazy.profiles.get("services.a"),
      full.profiles.get("services.a"),
      JSON.stringify(config),
    );
  }
});

test("review (#10): a [profile sso-session.a] after [sso-session a] hides the sso-session, lazily too", () => {
  for (const config of [
    "[sso-session a]\nsso_region = eu-west-1\n\n[profile sso-session.a]\nregion = eu-west-1\n",
    "[profile sso-session.a]\nregion = eu-west-1\n\n[sso-session a]\nsso_region = eu-west-1\n",
  ]) {
    const { lazy, full } = both(config);
    assert.deepEqual(
      lazy.ssoSessions?.get("a"),
      full.ssoSessions?.get("a"),
      JSON.stringify(config),
    );
    assert.deepEqual(
      lazy.profiles.get("sso-session.a"),
      full.profiles.get("sso-session.a"),
      JSON.stringify(config),
    );
  }
});
