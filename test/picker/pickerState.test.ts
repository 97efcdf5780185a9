import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseKeys } from "../../src/cli/picker/keys.ts";
import {
  filterItems,
  initialState,
  selected,
  step,
  type Key,
  type PickerItem,
  type PickerState,
} from "../../src/cli/picker/pickerState.ts";
import { renderPicker } from "../../src/cli/picker/render.ts";

const item = (name: string, ...details: string[]): PickerItem => ({ name, details });
const ITEMS = [
  item("dev-2", "admin @ 222222222222", "eu-west-1", "mfa alice @ 111111111111", ""),
  item("dev-1", "admin @ 333333333333", "eu-central-1", "mfa alice @ 111111111111", ""),
  item("main", "keys", "us-east-1", "-", "mfa session 7h left"),
  item("prod", "deploy @ 444444444444", "eu-west-1", "-", ""),
];

/** Feeds keys; returns the last state, or the outcome. */
function run(keys: Key[], state: PickerState = initialState(ITEMS)) {
  let s = state;
  for (const k of keys) {
    const r = step(s, k);
    if (r.kind !== "continue") return r;
    s = r.state;
  }
  return { kind: "continue" as const, state: s };
}

const text = (t: string): Key => ({ type: "text", text: t });

describe("filterItems", () => {
  it("keeps order and matches every word in the name or details, case-insensitively", () => {
    assert.deepEqual(
      filterItems(ITEMS, "dev").map((i) => i.name),
      ["dev-2", "dev-1"],
    );
    assert.deepEqual(
      filterItems(ITEMS, "EU west").map((i) => i.name),
      ["dev-2", "prod"],
    );
    assert.deepEqual(
      filterItems(ITEMS, "3333").map((i) => i.name),
      ["dev-1"],
    );
    assert.deepEqual(filterItems(ITEMS, "  ").length, 4);
    assert.deepEqual(filterItems(ITEMS, "nothing"), []);
  });
});

describe("step", () => {
  it("Enter picks the highlighted row; typing restarts at the first match", () => {
    assert.deepEqual(run([{ type: "enter" }]), { kind: "picked", name: "dev-2" });
    assert.deepEqual(run([{ type: "down" }, { type: "down" }, { type: "enter" }]), {
      kind: "picked",
      name: "main",
    });
    assert.deepEqual(run([{ type: "down" }, { type: "down" }, text("d"), { type: "enter" }]), {
      kind: "picked",
      name: "dev-2",
    });
    assert.deepEqual(run([text("pro"), { type: "enter" }]), { kind: "picked", name: "prod" });
  });

  it("up and down wrap; page, home and end stay in range", () => {
    assert.deepEqual(run([{ type: "up" }, { type: "enter" }]), { kind: "picked", name: "prod" });
    assert.deepEqual(run([{ type: "end" }, { type: "down" }, { type: "enter" }]), {
      kind: "picked",
      name: "dev-2",
    });
    assert.deepEqual(run([{ type: "pageDown" }, { type: "enter" }]), {
      kind: "picked",
      name: "prod",
    });
    assert.deepEqual(run([{ type: "end" }, { type: "pageUp" }, { type: "enter" }]), {
      kind: "picked",
      name: "dev-2",
    });
  });

  it("Enter with nothing matching does nothing; backspace and Ctrl-U edit the filter", () => {
    const r = run([text("zz"), { type: "enter" }]);
    assert.equal(r.kind, "continue");
    assert.equal(r.state.query, "zz");
    assert.equal(selected(r.state), undefined);
    assert.deepEqual(
      run([text("zz"), { type: "backspace" }, { type: "backspace" }, { type: "enter" }]),
      {
        kind: "picked",
        name: "dev-2",
      },
    );
    assert.deepEqual(run([text("prod"), { type: "clear" }, { type: "enter" }]), {
      kind: "picked",
      name: "dev-2",
    });
    // Backspace on an empty filter is harmless.
    assert.deepEqual(run([{ type: "backspace" }, { type: "enter" }]), {
      kind: "picked",
      name: "dev-2",
    });
  });

  it("cancel ends the pick without a name", () => {
    assert.deepEqual(run([text("dev"), { type: "cancel" }]), { kind: "cancelled" });
  });

  it("an empty list can be moved in and cancelled, never picked", () => {
    const empty = initialState([]);
    const r = run([{ type: "down" }, { type: "up" }, { type: "end" }, { type: "enter" }], empty);
    assert.equal(r.kind, "continue");
  });
});

describe("parseKeys", () => {
  it("turns arrows, Enter, Esc, Ctrl keys and text into keys", () => {
    assert.deepEqual(parseKeys("de"), [text("de")]);
    assert.deepEqual(parseKeys("\x1b[A\x1b[B\x1bOA"), [
      { type: "up" },
      { type: "down" },
      { type: "up" },
    ]);
    assert.deepEqual(parseKeys("x\r"), [text("x"), { type: "enter" }]);
    assert.deepEqual(parseKeys("\x1b"), [{ type: "cancel" }]);
    assert.deepEqual(parseKeys("\x03"), [{ type: "cancel" }]);
    assert.deepEqual(parseKeys("\x7f\x15\t\x1b[Z"), [
      { type: "backspace" },
      { type: "clear" },
      { type: "down" },
      { type: "up" },
    ]);
    assert.deepEqual(parseKeys("\x1b[5~\x1b[6~\x1b[H\x1b[F"), [
      { type: "pageUp" },
      { type: "pageDown" },
      { type: "home" },
      { type: "end" },
    ]);
  });

  it("ignores unknown sequences, Alt+key and other control characters", () => {
    assert.deepEqual(parseKeys("\x1b[15~a\x1bb\x01é"), [text("a"), text("é")]);
  });
});

describe("renderPicker", () => {
  it("shows title, filter, aligned rows with the selection marked, and a count", () => {
    const lines = renderPicker(
      initialState(ITEMS),
      { columns: 100, rows: 30 },
      { title: "Profile", color: false },
    );
    assert.equal(lines[0], "Profile (type to filter, ↑/↓ move, Enter picks, Esc cancels)");
    assert.equal(lines[1], "> ");
    assert.equal(
      lines[2],
      "▸ dev-2    admin @ 222222222222   eu-west-1     mfa alice @ 111111111111",
    );
    assert.equal(
      lines[4],
      "  main     keys                   us-east-1     -                         mfa session 7h left",
    );
    assert.equal(lines.at(-1), "  4 of 4 profiles");
  });

  it("never draws a line wider than the terminal, and scrolls to keep the selection shown", () => {
    const many = Array.from({ length: 40 }, (_, i) => item(`profile-${String(i)}`, "x".repeat(60)));
    const r = run(
      Array.from({ length: 30 }, (): Key => ({ type: "down" })),
      initialState(many),
    );
    assert.equal(r.kind, "continue");
    const lines = renderPicker(r.state, { columns: 40, rows: 12 }, { title: "T", color: false });
    assert.ok(
      lines.every((l) => Array.from(l).length <= 39),
      JSON.stringify(lines),
    );
    assert.ok(lines.length <= 12);
    assert.ok(lines.some((l) => l.startsWith("▸ profile-30")));
  });

  it("says when nothing matches", () => {
    const r = run([text("zz")]);
    assert.equal(r.kind, "continue");
    const lines = renderPicker(r.state, { columns: 80, rows: 24 }, { title: "T", color: false });
    assert.ok(lines.includes("  no profile matches 'zz'"));
    assert.equal(lines.at(-1), "  0 of 4 profiles");
  });
});
