/**
 * A small YAML emitter for JSON-shaped data (objects, arrays, strings,
 * numbers, booleans, null), in block style. Strings are written as JSON
 * strings, which are valid YAML double-quoted scalars, so no value can turn
 * into something else on the way (`"true"`, `"012"`, `"a: b"` stay strings).
 * Keys are plain when they are simple identifiers and quoted otherwise.
 */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function scalar(v: unknown): string | undefined {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new TypeError(`toYaml: ${v} has no YAML form`);
    return String(v);
  }
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.length === 0) return "[]";
  if (isRecord(v) && Object.keys(v).length === 0) return "{}";
  if (Array.isArray(v) || isRecord(v)) return undefined;
  throw new TypeError(`toYaml: a ${typeof v} has no YAML form`);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
}

function block(v: unknown, indent: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = scalar(item);
      if (s !== undefined) out += `${pad}- ${s}\n`;
      // A nested collection one level in, its first line's indent replaced by the dash.
      else out += `${pad}- ${block(item, indent + 2).slice(indent + 2)}`;
    }
    return out;
  }
  if (!isRecord(v)) throw new TypeError("toYaml: expected an object or array");
  for (const [k, item] of Object.entries(v)) {
    if (item === undefined) continue;
    const s = scalar(item);
    out +=
      s !== undefined ? `${pad}${key(k)}: ${s}\n` : `${pad}${key(k)}:\n${block(item, indent + 2)}`;
  }
  return out;
}

/** The YAML document for a JSON-shaped object. */
export function toYaml(value: unknown): string {
  return block(value, 0);
}
