/**
 * A stand-in for the user's browser in the SSO tests ($BROWSER points at a
 * shim that runs this): it records that it was opened, then opens the URL
 * and follows the redirects, as a browser does once the user has signed in
 * (the fake /authorize page redirects to awsmfa's loopback listener with a
 * code; the /device page approves a device code).
 *
 *   node browser.mjs URL     (BROWSER_LOG: a file to append the URL's path to)
 */
import { appendFileSync } from "node:fs";

const url = process.argv[2] ?? "";
const log = process.env.BROWSER_LOG;
if (log !== undefined) appendFileSync(log, `${new URL(url).pathname}\n`);
const res = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(30_000) });
await res.text();
