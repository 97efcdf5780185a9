/**
 * What the picker shows for a state, as lines of text (pure). Each line is
 * cut to the terminal's width so nothing wraps: terminal.ts redraws by
 * moving the cursor up one row per line.
 */
import { visible, type PickerState } from "./pickerState.ts";

export interface ScreenSize {
  readonly columns: number;
  readonly rows: number;
}

/** Highlight for the selected row (reverse video); plain text elsewhere. */
const REVERSE = "\x1b[7m";
const RESET = "\x1b[0m";
const DIM = "\x1b[2m";

export interface RenderOptions {
  /** The question: "Profile for awsmfa write". */
  readonly title: string;
  /** Escape sequences for highlight; false gives plain text (for tests). */
  readonly color: boolean;
}

export function renderPicker(state: PickerState, size: ScreenSize, o: RenderOptions): string[] {
  const width = Math.max(20, size.columns - 1);
  const rows = visible(state);
  // Title, filter line and footer take three rows; keep one spare for the prompt.
  const height = Math.max(1, Math.min(rows.length, size.rows - 4, 15));
  const start = Math.max(0, Math.min(state.cursor - height + 1, rows.length - height));
  const shown = rows.slice(start, start + height);

  const all = [...state.items];
  const nameWidth = Math.min(40, Math.max(7, ...all.map((i) => i.name.length)));
  const detailWidths: number[] = [];
  for (const item of all) {
    item.details.forEach((d, k) => {
      detailWidths[k] = Math.min(36, Math.max(detailWidths[k] ?? 0, d.length));
    });
  }

  const lines: string[] = [];
  lines.push(cut(`${o.title} (type to filter, ↑/↓ move, Enter picks, Esc cancels)`, width));
  lines.push(cut(`> ${state.query}`, width));
  if (rows.length === 0) {
    lines.push(cut(`  no profile matches '${state.query}'`, width));
  }
  shown.forEach((item, k) => {
    const isSelected = start + k === state.cursor;
    const cells = [
      item.name.padEnd(nameWidth),
      ...item.details.map((d, n) => d.padEnd(detailWidths[n] ?? 0)),
    ];
    const text = cut(`${isSelected ? "▸" : " "} ${cells.join("  ").trimEnd()}`, width);
    lines.push(isSelected && o.color ? `${REVERSE}${text}${RESET}` : text);
  });
  const footer = `  ${String(rows.length)} of ${String(state.items.length)} profiles`;
  lines.push(o.color ? `${DIM}${cut(footer, width)}${RESET}` : cut(footer, width));
  return lines;
}

function cut(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : chars.slice(0, width - 1).join("") + "…";
}
