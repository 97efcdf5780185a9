/**
 * The picker on the user's terminal (/dev/tty, like every awsmfa question,
 * so it works inside `eval "$(awsmfa export)"`): raw mode, keys through
 * keys.ts and pickerState.ts, lines from render.ts, redrawn in place. Drawn
 * below the cursor and erased when done, so the terminal is left as it was.
 */
import { closeSync, openSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { WriteStream } from "node:tty";
import { AwsmfaError } from "../../errors.ts";
import { openRawTerminal } from "../../platform/tty.ts";
import { parseKeys } from "./keys.ts";
import { initialState, step, type PickerItem, type PickerState } from "./pickerState.ts";
import { renderPicker, type ScreenSize } from "./render.ts";

export interface TerminalPickerOptions {
  readonly title: string;
  /** The terminal device; /dev/tty unless given. */
  readonly path?: string;
}

const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
const CLEAR_DOWN = "\x1b[J";

/** Resolves with the picked name; rejects E_CANCELLED (exit 130) on Esc/Ctrl-C, E_NO_TTY without a terminal. */
export function pickOnTerminal(
  items: readonly PickerItem[],
  options: TerminalPickerOptions,
): Promise<string> {
  const path = options.path ?? "/dev/tty";
  return new Promise<string>((resolve, reject) => {
    // Throws E_NO_TTY without a terminal, which rejects this promise.
    const term = openRawTerminal(path, (e) => noTty(path, e));
    const size = screenSize(path);
    const show = (text: string) => {
      term.write(text);
    };
    const decoder = new StringDecoder("utf8");
    let state: PickerState = initialState(items);
    let drawn = 0;

    const draw = () => {
      const lines = renderPicker(state, size, { title: options.title, color: true });
      // Back to the first line we drew, erase it and below, draw again.
      let out = drawn > 1 ? `\r\x1b[${String(drawn - 1)}A` : "\r";
      out += CLEAR_DOWN + lines.join("\r\n");
      show(out);
      drawn = lines.length;
    };
    const finish = (result: { name: string } | AwsmfaError) => {
      term.close((drawn > 1 ? `\r\x1b[${String(drawn - 1)}A` : "\r") + CLEAR_DOWN + SHOW_CURSOR);
      if (result instanceof AwsmfaError) reject(result);
      else resolve(result.name);
    };
    const onData = (chunk: Buffer) => {
      for (const key of parseKeys(decoder.write(chunk))) {
        const r = step(state, key);
        if (r.kind === "picked") {
          finish({ name: r.name });
          return;
        }
        if (r.kind === "cancelled") {
          finish(cancelled());
          return;
        }
        state = r.state;
      }
      draw();
    };
    term.listen({
      data: onData,
      end: () => {
        finish(cancelled());
      },
      error: finish,
    });
    show(HIDE_CURSOR);
    draw();
  });
}

function cancelled(): AwsmfaError {
  return new AwsmfaError("E_CANCELLED", "Cancelled: no profile picked.", { exitCode: 130 });
}

function noTty(path: string, e: unknown): AwsmfaError {
  const why = e instanceof Error && "code" in e ? String(e.code) : String(e);
  return new AwsmfaError(
    "E_NO_TTY",
    `No terminal to pick a profile on: cannot open ${path} (${why}).`,
    { hint: "Name the profile as an argument, or set AWS_PROFILE.", cause: e },
  );
}

/** The terminal's size, or 80x24 when it does not say. */
function screenSize(path: string): ScreenSize {
  let fd: number | undefined;
  try {
    fd = openSync(path, "w");
    // A stream of its own only to ask: destroying it closes the descriptor.
    const out = new WriteStream(fd);
    fd = undefined;
    try {
      const [columns, rows] = out.getWindowSize();
      if (columns > 0 && rows > 0) return { columns, rows };
    } finally {
      out.destroy();
    }
  } catch {
    // not a terminal that reports its size
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return { columns: 80, rows: 24 };
}
