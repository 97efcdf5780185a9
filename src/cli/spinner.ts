/**
 * A one-line spinner on stderr while awsmfa waits on the network, shown only
 * when stderr is a terminal (never in a credential_process caller's output).
 * The line is erased when the wait ends, so nothing is left behind. It is a
 * terminal overlay: while a question is open on the terminal (the store's
 * passphrase, the MFA code) it is erased and stopped, and it comes back on
 * the line after the answer.
 */
import type { TerminalOverlays } from "../platform/terminalOverlays.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface SpinnerDeps<H> {
  readonly write: (text: string) => void;
  readonly setInterval: (fn: () => void, ms: number) => H;
  readonly clearInterval: (handle: H) => void;
  /** The terminal's overlays, which questions hide while they are open. */
  readonly overlays: TerminalOverlays;
}

export function spinner<H>(deps: SpinnerDeps<H>): (what: string) => () => void {
  return (what) => {
    let frame = 0;
    let handle: { readonly h: H } | undefined;
    const draw = () => {
      deps.write(`\r${FRAMES[frame % FRAMES.length] ?? ""} ${what}...\x1b[K`);
      frame++;
    };
    const stop = () => {
      if (handle === undefined) return;
      deps.clearInterval(handle.h);
      handle = undefined;
      deps.write("\r\x1b[K");
    };
    const remove = deps.overlays.add({
      hide: stop,
      show: () => {
        if (handle !== undefined) return;
        draw();
        handle = { h: deps.setInterval(draw, 80) };
      },
    });
    return () => {
      remove();
      stop();
    };
  };
}
