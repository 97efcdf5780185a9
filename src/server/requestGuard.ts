/**
 * What both local servers refuse before looking at anything else: a
 * connection that is not from this machine, a Host header that is not a
 * loopback address (a DNS-rebinding page names its own domain there), and
 * any request carrying an Origin header (browsers send one on cross-origin
 * requests; SDKs and CLIs never do).
 */
import type { IncomingMessage } from "node:http";

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

/** Why the request is refused, or undefined when it may go on. */
export function refusal(
  req: IncomingMessage,
  port: number,
  extraHosts: readonly string[] = [],
): string | undefined {
  const remote = req.socket.remoteAddress ?? "";
  if (!isLoopbackAddress(remote)) return `connection from ${remote || "an unknown address"}`;
  if (req.headers.origin !== undefined) return "a browser request (Origin header)";
  const host = (req.headers.host ?? "").toLowerCase();
  if (!hostAllowed(host, port, extraHosts)) {
    return `Host '${host.slice(0, 100)}' is not a loopback address`;
  }
  return undefined;
}

export function hostAllowed(host: string, port: number, extraHosts: readonly string[]): boolean {
  for (const name of [...LOOPBACK_HOSTS, ...extraHosts]) {
    if (host === `${name}:${String(port)}`) return true;
    // An alias on port 80 (169.254.169.254) comes without a port.
    if (port === 80 && host === name) return true;
  }
  // Through a port-forward or an alias (iptables) the port differs: only
  // the fixed names given by the server count then.
  return extraHosts.includes(host);
}

export function isLoopbackAddress(address: string): boolean {
  const a = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}
