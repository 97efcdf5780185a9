/** The table `awsmfa list` prints: session time left, and expired ones said so. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderTable, type ListedSession, type ListJson } from "../../src/cli/commands/list.ts";

const now = Date.parse("2026-11-21T12:00:00Z");
const session = (expiration: string | null): ListedSession => ({
  type: "role",
  roleArn: "arn:aws:iam::111111111111:role/admin",
  mfaSerial: null,
  durationSeconds: 3600,
  expiration,
});

test("a cached session shows its time left; one past its expiry says expired, not 0s left", () => {
  const result: ListJson = {
    version: 1,
    backend: "file",
    configFile: "~/.aws/config",
    credentialsFile: "~/.aws/credentials",
    configFileExists: true,
    credentialsFileExists: true,
    writtenSections: [],
    configWarnings: [],
    profiles: [
      {
        name: "admin",
        inConfig: true,
        inCredentials: false,
        storedKeys: false,
        plainTextKeys: false,
        plainTextKeysFile: null,
        region: null,
        mfaSerial: null,
        roleArn: "arn:aws:iam::111111111111:role/admin",
        sourceProfile: "alice",
        credentialProcess: null,
        sessions: [session("2026-11-21T12:42:00Z"), session("2026-11-21T11:59:59Z"), session(null)],
      },
    ],
  };
  const lines = renderTable(result, now).split("\n");
  assert.match(lines[1] ?? "", / {2}role 42m left; role expired; role \?$/);
});
