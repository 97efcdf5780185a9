/** awsQuery parameters: flat "Name" / "List.member.N" / "Tags.member.N.Key" pairs. */
import { faults } from "./errors.ts";

export class Params {
  private readonly map: Map<string, string>;

  constructor(pairs: readonly [string, string][]) {
    this.map = new Map(pairs);
  }

  get(name: string): string | undefined {
    return this.map.get(name);
  }

  required(name: string): string {
    const v = this.map.get(name);
    if (v === undefined || v === "") throw faults.missingParameter(name);
    return v;
  }

  /** "Prefix.member.1", "Prefix.member.2", ... in order. */
  list(prefix: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const v = this.map.get(`${prefix}.member.${i}`);
      if (v === undefined) return out;
      out.push(v);
    }
  }

  /** "Prefix.member.N.Key"/".Value" pairs. */
  tags(prefix: string): { Key: string; Value: string }[] {
    const out: { Key: string; Value: string }[] = [];
    for (let i = 1; ; i++) {
      const k = this.map.get(`${prefix}.member.${i}.Key`);
      if (k === undefined) return out;
      out.push({ Key: k, Value: this.map.get(`${prefix}.member.${i}.Value`) ?? "" });
    }
  }
}

/**
 * Collects constraint violations the way AWS reports them:
 * "2 validation errors detected: Value ... ; Value ...".
 */
export class Validator {
  private readonly problems: string[] = [];

  check(ok: boolean, value: string, field: string, constraint: string): void {
    if (!ok) {
      this.problems.push(
        `Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
      );
    }
  }

  length(value: string | undefined, field: string, min: number, max: number): void {
    if (value === undefined) return;
    this.check(
      value.length >= min,
      value,
      field,
      `Member must have length greater than or equal to ${min}`,
    );
    this.check(
      value.length <= max,
      value,
      field,
      `Member must have length less than or equal to ${max}`,
    );
  }

  pattern(value: string | undefined, field: string, re: RegExp, shown: string): void {
    if (value === undefined) return;
    this.check(
      re.test(value),
      value,
      field,
      `Member must satisfy regular expression pattern: ${shown}`,
    );
  }

  range(raw: string | undefined, field: string, min: number, max: number): number | undefined {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n)) {
      this.problems.push(
        `Value '${raw}' at '${field}' failed to satisfy constraint: Member must be an integer`,
      );
      return undefined;
    }
    this.check(n >= min, raw, field, `Member must have value greater than or equal to ${min}`);
    this.check(n <= max, raw, field, `Member must have value less than or equal to ${max}`);
    return n;
  }

  done(): void {
    if (this.problems.length === 0) return;
    throw faults.validation(
      `${this.problems.length} validation error${this.problems.length > 1 ? "s" : ""} detected: ${this.problems.join("; ")}`,
    );
  }
}
