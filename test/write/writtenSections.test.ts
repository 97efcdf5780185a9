import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AwsmfaError } from "../../src/errors.ts";
import { parseIni } from "../../src/config/IniDocument.ts";
import {
  applyRemove,
  applyWrite,
  removeSections,
  sectionOwner,
  writeSection,
  writtenNames,
  type WrittenCredentials,
} from "../../src/config/writtenSections.ts";

const CREDS: WrittenCredentials = {
  accessKeyId: "ASIAFIRST00000000001",
  secretAccessKey: "first/secret+value=with/odd#chars;x",
  sessionToken: "FQoGZXIvYXdzEXAMPLE+token/with=signs",
  expiration: new Date("2026-05-01T12:00:00.000Z"),
};
const CREDS2: WrittenCredentials = {
  accessKeyId: "ASIASECOND0000000002",
  secretAccessKey: "second-secret",
  sessionToken: "second-token",
  expiration: new Date("2026-05-01T13:30:00.000Z"),
};

/** Comments, CRLF, odd spacing, unrelated profiles, no final newline. */
const HOSTILE =
  "\uFEFF# my credentials, hand-kept\r\n" +
  "; do not share\r\n" +
  "[default]\r\n" +
  "aws_access_key_id=AKIADEFAULT000000001\r\n" +
  "aws_secret_access_key   =   default/secret\r\n" +
  "\r\n" +
  "  # an indented comment\r\n" +
  "[work]\r\n" +
  "aws_access_key_id = AKIAWORK000000000001 ; inline\r\n" +
  "aws_secret_access_key = work/secret\r\n" +
  "region = eu-west-1\r\n" +
  "# trailing comment of work\r\n" +
  "[zeta]\r\n" +
  "\taws_access_key_id = AKIAZETA000000000001\r\n" +
  "aws_secret_access_key = zeta";

const write =
  (name: string, profile: string, creds = CREDS, force = false) =>
  (doc: ReturnType<typeof parseIni>) =>
    applyWrite(doc, { name, profile, credentials: creds, force });

describe("applyWrite on a file full of comments, CRLF and other profiles", () => {
  it("appends the section and changes no byte before it", () => {
    const doc = parseIni(HOSTILE, "~/.aws/credentials");
    const r = write("admin-session", "admin")(doc);
    assert.deepEqual(r, { before: "absent", previousProfile: undefined });
    const out = doc.toString();
    assert.ok(out.startsWith(HOSTILE), "the original bytes are a prefix of the result");
    assert.equal(
      out.slice(HOSTILE.length),
      "\r\n\r\n[admin-session]\r\n" +
        "aws_access_key_id = ASIAFIRST00000000001\r\n" +
        "aws_secret_access_key = first/secret+value=with/odd#chars;x\r\n" +
        "aws_session_token = FQoGZXIvYXdzEXAMPLE+token/with=signs\r\n" +
        "expiration = 2026-05-01T12:00:00Z\r\n" +
        "awsmfa_written_for = admin",
    );
    // What the SDK reads back is what was written.
    const back = parseIni(out, "x").getSection("admin-session");
    assert.ok(back !== undefined);
    assert.equal(back.get("aws_secret_access_key"), CREDS.secretAccessKey);
    assert.equal(back.get("aws_session_token"), CREDS.sessionToken);
  });

  it("re-writing our section replaces its values in place; everything else stays byte-identical", () => {
    const doc = parseIni(HOSTILE, "f");
    write("admin-session", "admin")(doc);
    // A section after ours, so ours is in the middle of the file.
    doc.setKey("later", "aws_access_key_id", "AKIALATER00000000001");
    const before = doc.toString();
    const r = write("admin-session", "admin2", CREDS2)(doc);
    assert.deepEqual(r, { before: "ours", previousProfile: "admin" });
    const after = doc.toString();
    const expected = before
      .replace(CREDS.accessKeyId, CREDS2.accessKeyId)
      .replace(CREDS.secretAccessKey, CREDS2.secretAccessKey)
      .replace(CREDS.sessionToken, CREDS2.sessionToken)
      .replace("2026-05-01T12:00:00Z", "2026-05-01T13:30:00Z")
      .replace("awsmfa_written_for = admin\r\n", "awsmfa_written_for = admin2\r\n");
    assert.equal(after, expected);
  });

  it("removing our section gives back the original bytes", () => {
    const doc = parseIni(HOSTILE, "f");
    write("admin-session", "admin")(doc);
    assert.equal(applyRemove(doc, "admin-session", false), true);
    assert.equal(doc.toString(), HOSTILE);
    assert.equal(applyRemove(doc, "admin-session", false), false);
  });

  it("removing a section in the middle keeps the comments around it (IniDocument.removeSection's rule)", () => {
    const text =
      "# top\n[a]\nx = 1\n\n# about b\n[b-session]\nk = v\nawsmfa_written_for = b\n\n# about c\n[c]\ny = 2\n";
    const doc = parseIni(text, "f");
    assert.equal(applyRemove(doc, "b-session", false), true);
    assert.equal(doc.toString(), "# top\n[a]\nx = 1\n\n# about b\n\n# about c\n[c]\ny = 2\n");
  });
});

describe("sections awsmfa did not write", () => {
  it("refuses long-term keys and foreign sections, naming file:line, unless forced", () => {
    const doc = parseIni(HOSTILE, "~/.aws/credentials");
    assert.throws(
      () => write("work", "admin")(doc),
      (e: unknown) =>
        e instanceof AwsmfaError &&
        e.code === "E_WRITE_NOT_OURS" &&
        e.message ===
          "~/.aws/credentials:8: [work] holds long-term keys; awsmfa will not overwrite it." &&
        /--to NAME/.test(e.hint ?? ""),
    );
    assert.equal(doc.toString(), HOSTILE);
    const tmp = parseIni("[temp]\naws_session_token = x\n", "f");
    assert.throws(() => write("temp", "a")(tmp), /\[temp\] was not written by awsmfa/);
    assert.throws(() => applyRemove(doc, "work", false), /will not remove it/);
    assert.equal(doc.toString(), HOSTILE);
  });

  it("--force replaces the credential keys in place and keeps the section's other keys", () => {
    const doc = parseIni(HOSTILE, "f");
    const r = write("work", "admin", CREDS, true)(doc);
    assert.equal(r.before, "foreign");
    const work = doc.getSection("work");
    assert.ok(work !== undefined);
    assert.equal(work.get("aws_access_key_id"), CREDS.accessKeyId);
    assert.equal(work.get("region"), "eu-west-1");
    assert.match(doc.toString(), /aws_access_key_id = ASIAFIRST00000000001 ; inline\r\n/);
    assert.equal(sectionOwner(doc, "work", undefined).kind, "ours");
  });

  it("a name that is a profile in the config file is not ours", () => {
    const doc = parseIni("", "f");
    const owner = sectionOwner(doc, "admin", {
      where: "~/.aws/config:3",
      onlySettings: true,
      region: undefined,
    });
    assert.deepEqual(owner, {
      kind: "foreign",
      why: "is a profile in the config file",
      where: "~/.aws/config:3",
    });
  });

  it("a name with one of ours and one foreign duplicate section is not ours", () => {
    const doc = parseIni(
      "[dup]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n\n[dup]\nawsmfa_written_for = p\n",
      "f",
    );
    assert.equal(sectionOwner(doc, "dup", undefined).kind, "foreign");
    assert.deepEqual(writtenNames(doc), []);
  });
});

const root = await mkdtemp(join(tmpdir(), "awsmfa-written-"));
after(() => rm(root, { recursive: true, force: true }));

describe("writeSection / removeSections on disk", () => {
  it("keeps every byte outside the section, ends 0600, and removes all of ours with all-written", async () => {
    const path = join(root, "credentials");
    await writeFile(path, HOSTILE, { mode: 0o644 });
    const file = { path, label: "~/.aws/credentials" };
    await writeSection(file, { name: "a-session", profile: "a", credentials: CREDS, force: false });
    await writeSection(file, {
      name: "b-session",
      profile: "b",
      credentials: CREDS2,
      force: false,
    });
    const text = await readFile(path, "utf8");
    assert.ok(text.startsWith(HOSTILE));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(writtenNames(parseIni(text, "f")), ["a-session", "b-session"]);
    assert.deepEqual(await removeSections(file, "all-written", false), ["a-session", "b-session"]);
    assert.equal(await readFile(path, "utf8"), HOSTILE);
  });

  it("a refused write leaves the file untouched", async () => {
    const path = join(root, "credentials2");
    await writeFile(path, HOSTILE, { mode: 0o600 });
    const before = await stat(path);
    await assert.rejects(
      writeSection(
        { path, label: "c" },
        { name: "default", profile: "x", credentials: CREDS, force: false },
      ),
      /E_WRITE_NOT_OURS|holds long-term keys/,
    );
    assert.equal(await readFile(path, "utf8"), HOSTILE);
    assert.equal((await stat(path)).ino, before.ino);
  });
});

describe("regression (#9 item 17): write --remove after write deleted one trailing blank or whitespace-only line", () => {
  const corpusDir = join(import.meta.dirname, "../fixtures/config/corpus");
  /** Each corpus file as it is, and with the endings the independent test found lost. */
  const endings = [
    ["as is", (t: string) => t],
    ["+ blank line", (t: string) => `${t}\n`],
    ["+ whitespace-only line", (t: string) => `${t} \t \n`],
    ["+ two blank lines", (t: string) => `${t}\n\n`],
    ["+ spaces, no final newline", (t: string) => `${t}  `],
    ["+ CRLF blank line", (t: string) => `${t}\r\n`],
  ] as const;

  it("over the config corpus, remove gives back exactly the bytes before write", async () => {
    const names = (await readdir(corpusDir)).filter((n) => n.endsWith(".ini"));
    assert.ok(names.length >= 8, "corpus present");
    let cases = 0;
    for (const name of names) {
      const base = await readFile(join(corpusDir, name), "utf8");
      for (const [what, variant] of endings) {
        const original = variant(base);
        const path = join(root, `corpus-${name}`);
        await writeFile(path, original, { mode: 0o600 });
        const file = { path, label: name };
        await writeSection(file, {
          name: "zz-session",
          profile: "p",
          credentials: CREDS,
          force: false,
        });
        const written = await readFile(path, "utf8");
        assert.ok(written.startsWith(original), `${name} ${what}: write appends`);
        assert.deepEqual(await removeSections(file, ["zz-session"], false), ["zz-session"]);
        assert.equal(await readFile(path, "utf8"), original, `${name} ${what}`);
        cases++;
      }
    }
    assert.equal(cases, names.length * endings.length);
  });
});
