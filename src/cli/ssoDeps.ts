/** IAM Identity Center's edges for a command: fetch, the browser, stderr, timers. */
import type { SsoDeps } from "../sso/SsoDeps.ts";
import type { CliContext } from "./context.ts";

export function ssoDeps(ctx: CliContext): SsoDeps {
  return {
    fetch: (url, init) => fetch(url, init),
    // Loaded only when a sign-in opens a browser (child_process stays off the hot path).
    openBrowser: async (url) => {
      const { openBrowser } = await import("../platform/openBrowser.ts");
      await openBrowser(ctx.env, ctx.platform, url);
    },
    tell: (text) => {
      ctx.stderr(`${text}\n`);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
