/**
 * Questions on the user's terminal, /dev/tty, not stdin/stdout: awsmfa is
 * often run with its stdout and stderr captured (credential_process,
 * `eval "$(awsmfa export)"`), and the question must still reach the user.
 *
 * Input is read in raw mode for every question, so Ctrl-C and Ctrl-D are
 * ours to handle (E_CANCELLED, E_TTY_EOF) whatever the terminal settings,
 * and hidden answers (passphrases, secret keys) are never echoed.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { ReadStream } from "node:tty";
import { AwsmfaError } from "../errors.ts";
import { terminalOverlays } from "./terminalOverlays.ts";

export interface PromptOptions {
  /** true: nothing typed is shown (passphrases, secret keys). */
  readonly hidden: boolean;
}

export interface Tty {
  /** Writes question to the terminal and resolves with the line typed (without the newline). */
  prompt(question: string, options: PromptOptions): Promise<string>;
  /** Done with the terminal; later prompts fail. Holds nothing between prompts, so optional. */
  close(): void;
}

export interface OpenTtyOptions {
  /** The terminal device; /dev/tty unless given. */
  readonly path?: string;
  /** What we would ask for, for the E_NO_TTY message ("the file store passphrase"). */
  readonly purpose?: string;
  /** What to do instead, for the E_NO_TTY hint ("Set AWSMFA_FILE_PASSPHRASE."). */
  readonly hint?: string;
}

const ENTER = new Set(["\r", "\n"]);
const BACKSPACE = new Set(["\x7f", "\b"]);
const CTRL_C = "\x03";
const CTRL_D = "\x04";
const CTRL_U = "\x15";
const ESC = "\x1b";

/**
 * The terminal, or E_NO_TTY when there is none (cron, CI, a detached
 * process). Opening is checked here so callers learn early; each prompt
 * then opens the device afresh and closes it when answered, so an idle Tty
 * holds no handle and never keeps the process alive.
 */
export function openTty(options: OpenTtyOptions = {}): Promise<Tty> {
  const path = options.path ?? "/dev/tty";
  const noTty = (e: unknown) => {
    const why = e instanceof Error && "code" in e ? String(e.code) : String(e);
    return new AwsmfaError(
      "E_NO_TTY",
      `No terminal to ask for ${options.purpose ?? "input"}: cannot open ${path} (${why}).`,
      { hint: options.hint ?? "Run awsmfa from a terminal.", cause: e },
    );
  };
  try {
    closeSync(openSync(path, "r+"));
  } catch (e) {
    return Promise.reject(noTty(e));
  }
  let closed = false;
  return Promise.resolve({
    prompt: async (question, opts) => {
      if (closed) {
        throw new AwsmfaError(
          "E_TTY_CLOSED",
          `Cannot ask "${question.trim()}": the terminal was closed.`,
        );
      }
      return ask(openRawTerminal(path, noTty), question, opts.hidden);
    },
    close: () => {
      closed = true;
    },
  });
}

function ask(term: RawTerminal, question: string, hidden: boolean): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder("utf8");
    let answer: string[] = [];
    // Inside an escape sequence (arrow keys, function keys): swallowed.
    let escape: "none" | "start" | "csi" = "none";
    const show = (text: string) => {
      term.write(text);
    };

    const finish = (error: AwsmfaError | undefined) => {
      term.close("\n");
      if (error) reject(error);
      else resolve(answer.join(""));
    };

    const onData = (chunk: Buffer) => {
      for (const ch of decoder.write(chunk)) {
        if (escape === "start") {
          escape = ch === "[" || ch === "O" ? "csi" : "none";
          continue;
        }
        if (escape === "csi") {
          if (ch >= "@" && ch <= "~") escape = "none";
          continue;
        }
        const stop = ENTER.has(ch)
          ? "done"
          : ch === CTRL_C
            ? new AwsmfaError("E_CANCELLED", "Cancelled.", { exitCode: 130 })
            : ch === CTRL_D
              ? eof(question)
              : undefined;
        if (stop !== undefined) {
          finish(stop === "done" ? undefined : stop);
          return;
        }
        if (ch === ESC) {
          escape = "start";
        } else if (BACKSPACE.has(ch)) {
          if (answer.length > 0) {
            answer = answer.slice(0, -1);
            if (!hidden) show("\b \b");
          }
        } else if (ch === CTRL_U) {
          if (!hidden) show("\b \b".repeat(answer.length));
          answer = [];
        } else if (ch >= " ") {
          answer.push(ch);
          if (!hidden) show(ch);
        }
        // Other control characters are ignored.
      }
    };
    term.listen({
      data: onData,
      end: () => {
        finish(eof(question));
      },
      error: finish,
    });
    // Raw mode is on before the question appears, so nothing typed in
    // answer is ever echoed by the terminal itself.
    show(question);
  });
}

/** The terminal open for one raw-mode exchange: see openRawTerminal. */
export interface RawTerminal {
  /** Writes text to the terminal as it is (no newline translation in raw mode). */
  write(text: string): void;
  /** Raw mode on; input goes to the handlers until close(). */
  listen(handlers: RawTerminalHandlers): void;
  /** Raw mode off, writes last, and closes every descriptor opened for this exchange. */
  close(last: string): void;
}

export interface RawTerminalHandlers {
  /** Bytes typed (a key may be split across chunks: decode with a StringDecoder). */
  data(chunk: Buffer): void;
  /** The terminal input ended. */
  end(): void;
  /** Reading failed (E_TTY, naming the device). */
  error(e: AwsmfaError): void;
}

/**
 * Opens the terminal device at path for reading (raw mode) and writing, for
 * one exchange (a prompt, the picker). Throws noTty's error when it cannot
 * be opened. While it is open every terminal overlay (the spinner) is
 * hidden, so nothing is drawn over the question.
 *
 * close() leaves nothing open: libuv reopens a terminal given to a
 * ReadStream (to make its own descriptor non-blocking) and dup2()s the new
 * one over ours, so the stream may own another descriptor and ours stays open
 * after destroy() unless we close it; see releaseIfReopened.
 */
export function openRawTerminal(path: string, noTty: (e: unknown) => AwsmfaError): RawTerminal {
  let readFd: number;
  let writeFd: number;
  try {
    readFd = openSync(path, "r");
  } catch (e) {
    throw noTty(e);
  }
  try {
    writeFd = openSync(path, "w");
  } catch (e) {
    closeSync(readFd);
    throw noTty(e);
  }
  const input = new ReadStream(readFd);
  releaseIfReopened(input, readFd);
  // Before the caller writes its question: a spinner drawn after it would
  // overwrite it (#9 item 2).
  const releaseOverlays = terminalOverlays.hold();
  const onError = (e: Error) => {
    listening?.error(
      new AwsmfaError("E_TTY", `Reading from ${path} failed: ${e.message}.`, { cause: e }),
    );
  };
  const onData = (chunk: Buffer) => {
    listening?.data(chunk);
  };
  const onEnd = () => {
    listening?.end();
  };
  let listening: RawTerminalHandlers | undefined;
  return {
    write: (text) => {
      writeSync(writeFd, text);
    },
    listen: (handlers) => {
      listening = handlers;
      input.setRawMode(true);
      input.on("data", onData);
      input.on("end", onEnd);
      input.on("error", onError);
    },
    close: (last) => {
      listening = undefined;
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onError);
      input.setRawMode(false);
      input.destroy();
      try {
        writeSync(writeFd, last);
        closeSync(writeFd);
      } finally {
        releaseOverlays();
      }
    },
  };
}

/**
 * Whether libuv reopened the terminal is not exposed by Node, so we look at
 * the stream handle's fd; when we cannot tell, we keep ours open (a leaked
 * descriptor is better than closing one the stream still uses).
 */
function releaseIfReopened(input: ReadStream, fd: number): void {
  const handle: unknown = Reflect.get(input, "_handle");
  const handleFd: unknown =
    typeof handle === "object" && handle !== null ? Reflect.get(handle, "fd") : undefined;
  if (typeof handleFd === "number" && handleFd >= 0 && handleFd !== fd) closeSync(fd);
}

function eof(question: string): AwsmfaError {
  return new AwsmfaError(
    "E_TTY_EOF",
    `No answer to "${question.trim()}": the terminal input ended (Ctrl-D).`,
    { hint: "Type the answer and press Enter, or Ctrl-C to cancel." },
  );
}
