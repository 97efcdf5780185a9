/** What IAM Identity Center sign-in needs from the outside world, injected. */
import type { Fetch } from "./ssoApi.ts";

export interface SsoDeps {
  /** HTTPS for the SSO OIDC service and the portal (globalThis.fetch in production). */
  readonly fetch: Fetch;
  /**
   * Opens a URL in the user's browser, as an argv array (never through a
   * shell); rejects when no browser can be started. The URL is always
   * printed too, so a failure here is not fatal.
   */
  readonly openBrowser: (url: string) => Promise<void>;
  /** Tells the user what to do (stderr: stdout may be a credential_process answer). */
  readonly tell: (text: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  /** How long a sign-in may wait for the browser, ms (default 5 minutes). */
  readonly signInTimeoutMs?: number;
}
