/**
 * fast-check generators for shared-config files full of the things that
 * trip parsers: every header form, sub-sections, inline comments with and
 * without whitespace before them, CRLF and mixed line endings, BOM, tabs,
 * odd Unicode whitespace, duplicates, no final newline.
 */
import fc from "fast-check";

// Names avoid Object.prototype members (constructor, toString, ...): the SDK
// stores sections in a plain object and misreads those; we do not.
const name = fc.constantFrom("a", "b", "default", "dev.x", "a@b.com", "x-y_z", "p:q/r%s+t", "Ünï");
const key = fc.constantFrom(
  "region",
  "mfa_serial",
  "role_arn",
  "source_profile",
  "s3",
  "endpoint_url",
  "Region",
  "spaced key",
  "k.dot",
  "aws_access_key_id",
);
const value = fc.constantFrom(
  "us-east-1",
  "arn:aws:iam::123456789012:mfa/me",
  "a=b",
  "x#y",
  "x;y",
  "x #y",
  "x ;y",
  "# all comment",
  "; all comment",
  "",
  "  padded  ",
  "http://h:1/p?q=1#f",
  "ünïcödé",
  "tab\tinside",
);
const ws = fc.constantFrom("", " ", "  ", "\t", "\u00a0", "\u2003");
const comment = fc.constantFrom("", " # c", " ; c", "\t#c", "#glued", ";glued");

const header = fc.oneof(
  fc.tuple(ws, name, comment).map(([w, n, c]) => `${w}[profile ${n}]${c}`),
  fc.tuple(name, comment).map(([n, c]) => `[${n}]${c}`),
  fc
    .tuple(fc.constantFrom("profile", "sso-session", "services", "foo"), name)
    .map(([k, n]) => `[${k} ${n}]`),
  name.map((n) => `[profile "${n}"]`),
  name.map((n) => `[profile '${n}']`),
  name.map((n) => `[profile.${n}]`),
  fc.constantFrom(
    "[default]",
    "[profile default]",
    "[ profile a ]",
    "[profile  a]",
    "[]",
    "[profile a b]",
  ),
);

const keyLine = fc
  .tuple(ws, key, ws, fc.constantFrom("=", " = ", "= ", " ="), value, comment)
  .map(([indent, k, w, eq, v, c]) => `${indent}${k}${w}${eq}${v}${c}`);

const trivia = fc.constantFrom(
  "",
  "  ",
  "# comment",
  "; comment",
  "   # indented",
  "\t;x",
  "#[profile z]",
);

/** Lines our parser refuses (the SDK silently skips them). */
const junk = fc.constantFrom(
  "not a key",
  "= nokey",
  "[profile unclosed",
  "[profile a]#c",
  "  continuation",
);

export function iniLinesArbitrary(withJunk: boolean): fc.Arbitrary<string[]> {
  const line = withJunk
    ? fc.oneof(
        { weight: 3, arbitrary: header },
        { weight: 6, arbitrary: keyLine },
        { weight: 2, arbitrary: trivia },
        { weight: 1, arbitrary: junk },
      )
    : fc.oneof(
        { weight: 3, arbitrary: header },
        { weight: 6, arbitrary: keyLine },
        { weight: 2, arbitrary: trivia },
      );
  // Start with a header most of the time so keys have a section.
  return fc
    .tuple(header, fc.array(line, { maxLength: 25 }), fc.boolean())
    .map(([h, rest, lead]) => (lead ? [h, ...rest] : rest));
}

export function iniFileArbitrary(withJunk = false): fc.Arbitrary<string> {
  return fc
    .tuple(
      iniLinesArbitrary(withJunk),
      fc.constantFrom("\n", "\r\n", "mixed"),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([lines, eol, bom, finalNl]) => {
      let out = bom ? "\uFEFF" : "";
      lines.forEach((l, i) => {
        const e = eol === "mixed" ? (i % 2 === 0 ? "\r\n" : "\n") : eol;
        out += l + (i < lines.length - 1 || finalNl ? e : "");
      });
      return out;
    });
}
