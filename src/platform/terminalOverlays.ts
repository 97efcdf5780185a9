/**
 * What awsmfa draws on the terminal besides its questions: the spinner. A
 * question (a prompt, the picker) must never be drawn over, so opening the
 * terminal for one holds every overlay hidden until it is answered, and the
 * overlays come back after.
 *
 * One per process on purpose: there is one terminal, and the code that shows
 * a spinner (the engine, around a network wait) cannot know which layer
 * under it will ask a question (the file store's passphrase, the MFA code).
 * Small and import-free, so the hot path can load it.
 */
export interface Overlay {
  /** Stop drawing and erase what is drawn. */
  hide(): void;
  /** Draw again. */
  show(): void;
}

export interface TerminalOverlays {
  /** Adds an overlay, shown at once unless a question is open. Returns what removes it (without hiding it). */
  add(overlay: Overlay): () => void;
  /** Hides every overlay, and any added meanwhile, until each hold is released. */
  hold(): () => void;
}

export function createTerminalOverlays(): TerminalOverlays {
  const overlays = new Set<Overlay>();
  let holds = 0;
  return {
    add(overlay) {
      overlays.add(overlay);
      if (holds === 0) overlay.show();
      return () => {
        overlays.delete(overlay);
      };
    },
    hold() {
      if (holds++ === 0) for (const o of overlays) o.hide();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--holds === 0) for (const o of overlays) o.show();
      };
    },
  };
}

/** The process's terminal. */
export const terminalOverlays: TerminalOverlays = createTerminalOverlays();
