/** Just enough XML to write AWS awsQuery responses and errors. */

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A node: text, a list of members, or nested fields. Undefined fields are left out. */
export type XmlValue =
  string | number | boolean | XmlValue[] | { [k: string]: XmlValue | undefined };

export function toXml(name: string, value: XmlValue): string {
  if (Array.isArray(value)) {
    return `<${name}>${value.map((v) => toXml("member", v)).join("")}</${name}>`;
  }
  if (typeof value === "object") {
    let inner = "";
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) inner += toXml(k, v);
    }
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export const NAMESPACES = {
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
} as const;

export type ServiceName = keyof typeof NAMESPACES;

/** `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>` as AWS sends it. */
export function successXml(
  service: ServiceName,
  action: string,
  result: Record<string, XmlValue | undefined> | undefined,
  requestId: string,
): string {
  const body = result === undefined ? "" : toXml(`${action}Result`, result);
  return (
    `<${action}Response xmlns="${NAMESPACES[service]}">` +
    body +
    toXml("ResponseMetadata", { RequestId: requestId }) +
    `</${action}Response>\n`
  );
}

export function errorXml(
  service: ServiceName,
  type: "Sender" | "Receiver",
  code: string,
  message: string,
  requestId: string,
): string {
  return (
    `<ErrorResponse xmlns="${NAMESPACES[service]}">` +
    toXml("Error", { Type: type, Code: code, Message: message }) +
    toXml("RequestId", requestId) +
    `</ErrorResponse>\n`
  );
}
