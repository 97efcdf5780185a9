import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIni, profileNameOf, sectionId } from "./IniDocument.ts";
import { AwsmfaError } from "../errors.ts";

const CORPUS = join(import.meta.dirname, "../../test/fixtures/config/corpus");
const FILE = "~/.aws/config";

function edited(text: string, fn: (d: ReturnType<typeof parseIni>) => void): string {
  const d = parseIni(text, FILE);
  fn(d);
  return d.toString();
}

function syntaxError(text: string): AwsmfaError {
  try {
    parseIni(text, FILE);
  } catch (e) {
    assert.ok(e instanceof AwsmfaError);
    assert.equal(e.code, "E_CONFIG_SYNTAX");
    return e;
  }
  assert.fail("expected a syntax error");
}

test("every corpus file round-trips byte for byte", () => {
  for (const name of readdirSync(CORPUS)) {
    const text = readFileSync(join(CORPUS, name), "utf8");
    assert.equal(parseIni(text, name).toString(), text, name);
  }
});

test("round trip keeps BOM, CRLF, lone CR, tabs and a missing final newline", () => {
  for (const t of [
    "",
    "\n",
    "\r\n",
    "\uFEFF",
    "\uFEFF[a]\r\nk = v",
    "[a]\r\r\nk=v\r",
    "\t[a]\t\n\tk\t=\tv\t#c",
  ]) {
    assert.equal(parseIni(t, FILE).toString(), t, JSON.stringify(t));
  }
});

test("sections: header forms map to the SDK's names", () => {
  assert.equal(sectionId("profile dev"), "profile.dev");
  assert.equal(sectionId(`profile "dev"`), "profile.dev");
  assert.equal(sectionId("profile 'dev'"), "profile.dev");
  assert.equal(sectionId("default"), "default");
  assert.equal(sectionId("sso-session corp"), "sso-session.corp");
  assert.equal(sectionId("foo bar"), undefined);
  assert.equal(sectionId(""), undefined);
  assert.equal(sectionId("profile a b"), "profile a b");
  assert.equal(profileNameOf("config", "profile.dev"), "dev");
  assert.equal(profileNameOf("config", "dev"), undefined);
  assert.equal(profileNameOf("credentials", "dev"), "dev");
});

test("entries: sub-sections, inline comments and the SDK's value rules", () => {
  const d = parseIni(
    "[profile a]\nregion = us-east-1 # c\ns3 =\n  max = 10\nurl = http://h/#x\n  after = y\nk=a;b\n",
    FILE,
  );
  const s = d.getSection("profile a");
  assert.ok(s);
  assert.deepEqual(
    s.entries.map((e) => [e.key, e.value, e.line, e.hasInlineComment]),
    [
      ["region", "us-east-1", 2, true],
      ["s3.max", "10", 4, false],
      ["url", "http://h/#x", 5, false],
      ["after", "y", 6, false],
      ["k", "a;b", 7, false],
    ],
  );
});

test("syntax errors name file:line and say what to do", () => {
  const e = syntaxError("[profile a]\nregion = x\nthis is junk\n");
  assert.match(e.message, /^~\/\.aws\/config:3: /);
  assert.ok(e.hint);
  assert.match(syntaxError("region = x\n[a]\n").message, /:1: 'region' is outside any section/);
  assert.match(syntaxError("[a]\n= v\n").message, /:2: a key name is missing/);
  assert.match(syntaxError("[profile a\n").message, /:1: .*not closed/);
  assert.match(syntaxError("[a]\n[profile b]#c\n").hint ?? "", /space between/);
  assert.match(
    syntaxError("[a]\ncredential_process = x\n  --flag\n").message,
    /:3: .*continues the value of 'credential_process'/,
  );
  assert.match(syntaxError("[profile __proto__]\n").message, /not a valid profile name/);
});

test("regression (#9 item 20): '[profile x]#c' is not reported as a header 'not closed'", () => {
  for (const glued of ["[profile x]#c", "[profile x];c", "[x]#"]) {
    const e = syntaxError(`[a]\n${glued}\nregion = r\n`);
    assert.doesNotMatch(e.message, /not closed/, glued);
    assert.match(
      e.message,
      /:2: a comment follows this section header's '\]' without a space/,
      glued,
    );
    assert.match(e.hint ?? "", /space between '\]' and the comment/, glued);
  }
  const trailing = syntaxError("[profile x] junk\n");
  assert.doesNotMatch(trailing.message, /not closed/);
  assert.match(trailing.message, /:1: text follows this section header's '\]'/);
  assert.doesNotMatch(trailing.message + (trailing.hint ?? ""), /junk/, "the line is never echoed");
  assert.match(syntaxError("[profile x\n").message, /:1: .*not closed/);
});

test("a syntax error never echoes the line (it may hold a secret)", () => {
  const e = syntaxError("[a]\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
  assert.doesNotMatch(e.message + (e.hint ?? ""), /wJalr/);
});

test("setKey replaces the value in place, keeping spacing and comment", () => {
  assert.equal(
    edited("[profile a]\nregion  =   us-east-1   ; main\nx = 1\n", (d) => {
      d.setKey("profile a", "region", "eu-west-1");
    }),
    "[profile a]\nregion  =   eu-west-1   ; main\nx = 1\n",
  );
});

test("setKey adds after the section's last key, in its style and line endings", () => {
  assert.equal(
    edited("[a]\r\nk=v\r\n# trailing comment\r\n\r\n[b]\r\nz = 1\r\n", (d) => {
      d.setKey("a", "new", "1");
    }),
    "[a]\r\nk=v\r\nnew=1\r\n# trailing comment\r\n\r\n[b]\r\nz = 1\r\n",
  );
  // Indented style is copied, except while a sub-section is open.
  assert.equal(
    edited("[a]\n  k = v\n", (d) => {
      d.setKey("a", "n", "1");
    }),
    "[a]\n  k = v\n  n = 1\n",
  );
  assert.equal(
    edited("[a]\n  k = v\n  s3 =\n    max = 1\n", (d) => {
      d.setKey("a", "n", "1");
    }),
    "[a]\n  k = v\n  s3 =\n    max = 1\nn = 1\n",
  );
});

test("setKey keeps a missing final newline missing", () => {
  assert.equal(
    edited("[a]\nk = v", (d) => {
      d.setKey("a", "n", "1");
    }),
    "[a]\nk = v\nn = 1",
  );
  assert.equal(
    edited("[a]", (d) => {
      d.setKey("a", "n", "1");
    }),
    "[a]\nn = 1",
  );
});

test("setKey on a missing section appends it", () => {
  assert.equal(
    edited("[a]\nk = v\n", (d) => {
      d.setKey("profile b", "region", "x");
    }),
    "[a]\nk = v\n\n[profile b]\nregion = x\n",
  );
  assert.equal(
    edited("", (d) => {
      d.setKey("b", "k", "v");
    }),
    "[b]\nk = v\n",
  );
});

test("with duplicates, setKey changes the occurrence the SDK reads", () => {
  const text = "[a]\nk = 1\nk = 2\n[b]\n[a]\nother = x\n";
  assert.equal(
    edited(text, (d) => {
      d.setKey("a", "k", "3");
    }),
    "[a]\nk = 1\nk = 3\n[b]\n[a]\nother = x\n",
  );
  // A new key goes to the last section of that name.
  assert.equal(
    edited(text, (d) => {
      d.setKey("a", "n", "4");
    }),
    "[a]\nk = 1\nk = 2\n[b]\n[a]\nother = x\nn = 4\n",
  );
});

test("setKey refuses values the AWS tools would read differently", () => {
  const d = parseIni("[a]\n", FILE);
  for (const v of ["", " padded", "x #comment", "x ;c", "line\nbreak", "#x"]) {
    assert.throws(
      () => {
        d.setKey("a", "k", v);
      },
      { code: "E_CONFIG_VALUE" },
      JSON.stringify(v),
    );
  }
  for (const k of ["", "a=b", "#k", " k", "k\n"]) {
    assert.throws(
      () => {
        d.setKey("a", k, "v");
      },
      { code: "E_CONFIG_VALUE" },
      JSON.stringify(k),
    );
  }
  assert.equal(d.toString(), "[a]\n");
  // Values with # or ; not after whitespace are fine.
  d.setKey("a", "url", "http://h/p#frag;x");
  assert.equal(d.getSection("a")?.get("url"), "http://h/p#frag;x");
});

test("removeKey removes every occurrence the SDK would merge, and sub-sections whole", () => {
  assert.equal(
    edited("[a]\naws_secret_access_key = s1\nx = 1\n[a]\naws_secret_access_key = s2\n", (d) => {
      assert.equal(d.removeKey("a", "aws_secret_access_key"), 2);
    }),
    "[a]\nx = 1\n[a]\n",
  );
  assert.equal(
    edited("[a]\ns3 =\n  max = 1\n  style = path\nregion = x\n", (d) => {
      d.removeKey("a", "s3");
    }),
    "[a]\nregion = x\n",
  );
  assert.equal(
    edited("[a]\ns3 =\n  max = 1\n  style = path\n", (d) => {
      d.removeKey("a", "s3.max");
    }),
    "[a]\ns3 =\n  style = path\n",
  );
  assert.equal(
    edited("[a]\nk = v", (d) => {
      assert.equal(d.removeKey("a", "nope"), 0);
    }),
    "[a]\nk = v",
  );
});

test("removeKey of the last line keeps a missing final newline missing", () => {
  assert.equal(
    edited("[a]\nx = 1\nk = v", (d) => {
      d.removeKey("a", "k");
    }),
    "[a]\nx = 1",
  );
});

test("addSection separates with one blank line in the file's style", () => {
  assert.equal(
    edited("[a]\r\nk = v\r\n", (d) => {
      d.addSection("b");
    }),
    "[a]\r\nk = v\r\n\r\n[b]\r\n",
  );
  // A trailing blank line is the file's own and stays: the new section
  // brings its own, which removeSection takes back (#9 item 17).
  assert.equal(
    edited("[a]\nk = v\n\n", (d) => {
      d.addSection("b");
    }),
    "[a]\nk = v\n\n\n[b]\n",
  );
  assert.equal(
    edited("\uFEFF[a]\nk = v", (d) => {
      d.addSection("b");
    }),
    "\uFEFF[a]\nk = v\n\n[b]",
  );
  assert.equal(
    edited("", (d) => {
      d.addSection("profile x");
    }),
    "[profile x]\n",
  );
});

test("addSection refuses headers the SDK would ignore or misread", () => {
  const d = parseIni("", FILE);
  for (const h of ["profile a b", "foo bar", "", "a]b", "x\ny", "__proto__", "a #c"]) {
    assert.throws(() => d.addSection(h), { code: "E_CONFIG_VALUE" }, JSON.stringify(h));
  }
});

test("removeSection takes the section and one separating blank line, keeps comments after it", () => {
  const text = "# top\n[a]\nk = 1\n\n# about b\n[b]\nk = 2\n\n[c]\nk = 3\n";
  assert.equal(
    edited(text, (d) => {
      d.removeSection("b");
    }),
    "# top\n[a]\nk = 1\n\n# about b\n\n[c]\nk = 3\n",
  );
  assert.equal(
    edited(text, (d) => {
      d.removeSection("c");
    }),
    "# top\n[a]\nk = 1\n\n# about b\n[b]\nk = 2\n",
  );
  assert.equal(
    edited("[a]\nk = 1\n\n[b]\nk = 2", (d) => {
      d.removeSection("b");
    }),
    "[a]\nk = 1",
  );
  assert.equal(
    edited("[a]\nk=1\n[a]\nk=2\n", (d) => {
      assert.equal(d.removeSection("a"), 2);
    }),
    "",
  );
});

test("findProfile follows the SDK: [profile default] with keys wins over [default]", () => {
  const d = parseIni("[default]\nregion = a\n[profile default]\nregion = b\n", FILE);
  assert.equal(d.findProfile("config", "default")?.get("region"), "b");
  const e = parseIni("[default]\nregion = a\n[profile default]\n", FILE);
  assert.equal(e.findProfile("config", "default")?.get("region"), "a");
  assert.equal(parseIni("[profile x]\nk=1\n", FILE).findProfile("config", "x")?.line, 1);
  assert.equal(parseIni("[profile x]\nk=1\n", FILE).findProfile("credentials", "x"), undefined);
  assert.equal(parseIni("[x]\nk=1\n", FILE).findProfile("credentials", "x")?.get("k"), "1");
  assert.equal(parseIni("", FILE).profileSectionHeader("config", "default"), "default");
  assert.equal(parseIni("", FILE).profileSectionHeader("config", "dev"), "profile dev");
});

test("getSection matches quoted and dotted forms of the same header", () => {
  const d = parseIni(`[profile "a"]\nk = 1\n[profile.a]\nj = 2\n`, FILE);
  assert.equal(d.getSections("profile a").length, 2);
  assert.equal(d.getSection("profile a")?.get("j"), "2");
});

test("regression: removing the key that closed a sub-section does not pull the next indented key into it", () => {
  const out = edited("[a]\ns3 =\n  max = 1\nregion = x\n  b = 2\nc = 3\n", (d) => {
    d.removeKey("a", "region");
  });
  assert.equal(out, "[a]\ns3 =\n  max = 1\nb = 2\nc = 3\n");
  assert.deepEqual(
    parseIni(out, FILE)
      .getSection("a")
      ?.entries.map((e) => e.key),
    ["s3.max", "b", "c"],
  );
});
