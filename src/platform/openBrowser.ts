/**
 * Opens a URL in the user's browser: $BROWSER when set (the convention the
 * AWS CLI's Python webbrowser module and most Unix tools follow: a program,
 * given the URL as its one argument), else the platform's opener. Always an
 * argv array, never a shell, so nothing in the URL is interpreted. Resolves
 * once the opener started; the browser itself is not waited for.
 */
import { spawn } from "node:child_process";
import { nonBlank, type Env } from "./env.ts";

export function browserCommand(
  env: Env,
  platform: NodeJS.Platform,
  url: string,
): { command: string; args: string[] } {
  // $BROWSER may list several, separated by ':'; the first is used.
  const browser = nonBlank(env.BROWSER?.split(":")[0]);
  if (browser !== undefined) return { command: browser, args: [url] };
  if (platform === "darwin") return { command: "open", args: [url] };
  if (platform === "win32") {
    return { command: "rundll32", args: ["url.dll,FileProtocolHandler", url] };
  }
  return { command: "xdg-open", args: [url] };
}

export function openBrowser(env: Env, platform: NodeJS.Platform, url: string): Promise<void> {
  const { command, args } = browserCommand(env, platform, url);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "ignore", detached: true, shell: false });
    child.once("error", reject);
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
