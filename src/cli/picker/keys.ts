/**
 * Raw terminal input -> picker keys. Pure: terminal.ts passes each decoded
 * chunk. An escape sequence (arrow keys send `ESC [ A`) arrives in one
 * chunk; an ESC that ends a chunk is the Esc key itself, which cancels.
 */
import type { Key } from "./pickerState.ts";

/** CSI / SS3 final characters we act on; other sequences are ignored. */
const SEQUENCES: Readonly<Record<string, Key>> = {
  A: { type: "up" },
  B: { type: "down" },
  H: { type: "home" },
  F: { type: "end" },
  Z: { type: "up" }, // Shift-Tab
  "5~": { type: "pageUp" },
  "6~": { type: "pageDown" },
  "1~": { type: "home" },
  "7~": { type: "home" },
  "4~": { type: "end" },
  "8~": { type: "end" },
};

const CONTROL: Readonly<Record<string, Key>> = {
  "\r": { type: "enter" },
  "\n": { type: "enter" },
  "\x03": { type: "cancel" }, // Ctrl-C
  "\x04": { type: "cancel" }, // Ctrl-D
  "\x07": { type: "cancel" }, // Ctrl-G
  "\x7f": { type: "backspace" },
  "\b": { type: "backspace" },
  "\x15": { type: "clear" }, // Ctrl-U
  "\x10": { type: "up" }, // Ctrl-P
  "\x0e": { type: "down" }, // Ctrl-N
  "\t": { type: "down" },
};

export function parseKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  const chars = Array.from(chunk);
  let text = "";
  const flush = () => {
    if (text !== "") keys.push({ type: "text", text });
    text = "";
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? "";
    if (ch === "\x1b") {
      flush();
      const next = chars[i + 1];
      if (next === undefined || next === "\x1b") {
        keys.push({ type: "cancel" });
        continue;
      }
      if (next !== "[" && next !== "O") {
        // Alt+key: ignored rather than typed.
        i++;
        continue;
      }
      // Parameters, then one final character in @..~.
      let j = i + 2;
      let body = "";
      while (j < chars.length) {
        const c = chars[j] ?? "";
        body += c;
        if (c >= "@" && c <= "~") break;
        j++;
      }
      i = j;
      const final = body.slice(-1);
      const key = SEQUENCES[final === "~" ? body.replace(/;.*~$/, "~") : final];
      if (key !== undefined) keys.push(key);
      continue;
    }
    const control = CONTROL[ch];
    if (control !== undefined) {
      flush();
      keys.push(control);
      continue;
    }
    if (ch >= " ") text += ch;
    // Other control characters are ignored.
  }
  flush();
  return keys;
}
