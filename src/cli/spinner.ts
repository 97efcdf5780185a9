/**
 * A one-line spinner on stderr while awsmfa waits on the network, shown only
 * when stderr is a terminal (never in a credential_process caller's output).
 * The line is erased when the wait ends, so nothing is left behind.
 */
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface SpinnerDeps<H> {
  readonly write: (text: string) => void;
  readonly setInterval: (fn: () => void, ms: number) => H;
  readonly clearInterval: (handle: H) => void;
}

export function spinner<H>(deps: SpinnerDeps<H>): (what: string) => () => void {
  return (what) => {
    let frame = 0;
    const draw = () => {
      deps.write(`\r${FRAMES[frame % FRAMES.length] ?? ""} ${what}...\x1b[K`);
      frame++;
    };
    draw();
    const handle = deps.setInterval(draw, 80);
    return () => {
      deps.clearInterval(handle);
      deps.write("\r\x1b[K");
    };
  };
}
