/** IAM Identity Center's edges for a command: fetch, the browser, stderr, timers. */
import { openBrowser } from "../platform/openBrowser.ts";
import type { SsoDeps } from "../sso/SsoDeps.ts";
import type { CliContext } from "./context.ts";

export function ssoDeps(ctx: CliContext): SsoDeps {
  return {
    fetch: (url, init) => fetch(url, init),
    openBrowser: (url) => openBrowser(ctx.env, ctx.platform, url),
    tell: (text) => {
      ctx.stderr(`${text}\n`);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
