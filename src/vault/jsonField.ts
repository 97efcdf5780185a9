/** A field of parsed JSON, or undefined. */
export function jsonField(v: unknown, name: string): unknown {
  return typeof v === "object" && v !== null ? Reflect.get(v, name) : undefined;
}
