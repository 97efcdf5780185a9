/**
 * The profile picker as pure data: items, the filter typed so far, the
 * highlighted row, and what each key does. No I/O here; terminal.ts feeds
 * keys in and draws what render.ts makes of the state.
 */

export interface PickerItem {
  /** The profile name: what Enter returns. */
  readonly name: string;
  /** Columns shown after the name (role/account, region, MFA device, session). */
  readonly details: readonly string[];
}

export interface PickerState {
  /** In display order (most recently used first). */
  readonly items: readonly PickerItem[];
  readonly query: string;
  /** Index into visible(state); 0 when nothing matches. */
  readonly cursor: number;
}

export type Key =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "backspace" }
  | { readonly type: "clear" }
  | { readonly type: "up" }
  | { readonly type: "down" }
  | { readonly type: "pageUp" }
  | { readonly type: "pageDown" }
  | { readonly type: "home" }
  | { readonly type: "end" }
  | { readonly type: "enter" }
  | { readonly type: "cancel" };

export type StepResult =
  | { readonly kind: "continue"; readonly state: PickerState }
  | { readonly kind: "picked"; readonly name: string }
  | { readonly kind: "cancelled" };

export function initialState(items: readonly PickerItem[]): PickerState {
  return { items, query: "", cursor: 0 };
}

/**
 * The items matching `query`, in their order: every word of the query must
 * appear (case-insensitively) in the name or one of the details, so "dev eu"
 * finds dev profiles in eu regions and "1111" finds an account.
 */
export function filterItems(items: readonly PickerItem[], query: string): PickerItem[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "");
  if (words.length === 0) return [...items];
  return items.filter((item) => {
    const haystack = [item.name, ...item.details].join("\n").toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export function visible(state: PickerState): PickerItem[] {
  return filterItems(state.items, state.query);
}

/** The highlighted item, if any matches. */
export function selected(state: PickerState): PickerItem | undefined {
  return visible(state)[state.cursor];
}

/** How far pageUp/pageDown move. */
export const PAGE = 10;

export function step(state: PickerState, key: Key): StepResult {
  const count = visible(state).length;
  const move = (to: number): StepResult => ({
    kind: "continue",
    state: { ...state, cursor: count === 0 ? 0 : Math.min(Math.max(to, 0), count - 1) },
  });
  // A new filter starts at the top: the best (most recent) match is what
  // the user most likely wants.
  const requery = (query: string): StepResult => ({
    kind: "continue",
    state: { ...state, query, cursor: 0 },
  });
  switch (key.type) {
    case "text":
      return requery(state.query + key.text);
    case "backspace":
      return state.query === ""
        ? move(state.cursor)
        : requery(Array.from(state.query).slice(0, -1).join(""));
    case "clear":
      return requery("");
    case "up":
      // Wraps, so the last item is one key away from the first.
      return move(state.cursor === 0 ? count - 1 : state.cursor - 1);
    case "down":
      return move(state.cursor >= count - 1 ? 0 : state.cursor + 1);
    case "pageUp":
      return move(state.cursor - PAGE);
    case "pageDown":
      return move(state.cursor + PAGE);
    case "home":
      return move(0);
    case "end":
      return move(count - 1);
    case "enter": {
      const item = selected(state);
      // Enter with nothing matching does nothing: the user edits the filter.
      return item === undefined ? move(0) : { kind: "picked", name: item.name };
    }
    case "cancel":
      return { kind: "cancelled" };
  }
}
