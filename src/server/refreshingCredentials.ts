/**
 * Credentials kept in memory for the local servers, fetched again before
 * they expire. Every request is answered from memory (the servers must
 * answer thousands of requests a second); one fetch runs at a time, however
 * many requests arrive while it runs.
 *
 * When to fetch again: with REFRESH_MARGIN_MS left, the engine's own cache
 * window, so the engine does not hand back the cached entry we are trying
 * to replace. Credentials that live shorter than twice that are refreshed at
 * half their life, so a fetch never returns something already due.
 */
import { AwsmfaError } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import { EXPIRY_WINDOW_MS } from "../credentials/sessionCache.ts";
import type { CredentialSource, ServedCredentials } from "./servedCredentials.ts";

export const REFRESH_MARGIN_MS = EXPIRY_WINDOW_MS;
/** Old credentials with more than this left are served while new ones are fetched. */
const SERVE_WHILE_REFRESHING_MS = 60_000;
/** After a failed fetch, the next one waits this long (a refresh may need an MFA prompt). */
export const RETRY_AFTER_FAILURE_MS = 10_000;

export interface RefreshingDeps {
  readonly clock: Clock;
  readonly fetch: () => Promise<ServedCredentials>;
  /** A refresh failed while the old credentials were still served. */
  readonly warn: (message: string) => void;
}

export function refreshingCredentials(deps: RefreshingDeps): CredentialSource {
  const { clock } = deps;
  let current: { creds: ServedCredentials; refreshAt: number } | undefined;
  let pending: Promise<ServedCredentials> | undefined;
  let failure: { at: number; error: Error } | undefined;

  const fetchNow = async (): Promise<ServedCredentials> => {
    const started = clock.now();
    try {
      const creds = await deps.fetch();
      const expires = creds.expiration.getTime();
      if (expires <= clock.now()) {
        throw new AwsmfaError(
          "E_SERVER_EXPIRED",
          `the credentials fetched expired at ${creds.expiration.toISOString()}, before they could be served.`,
          { hint: "Check this machine's clock, then run 'awsmfa clear' for the profile." },
        );
      }
      const margin = Math.min(REFRESH_MARGIN_MS, (expires - started) / 2);
      current = { creds, refreshAt: expires - margin };
      failure = undefined;
      return creds;
    } catch (e) {
      failure = { at: clock.now(), error: e instanceof Error ? e : new Error(String(e)) };
      throw e;
    } finally {
      pending = undefined;
    }
  };

  return {
    get(): Promise<ServedCredentials> {
      const now = clock.now();
      if (current !== undefined && now < current.refreshAt) return Promise.resolve(current.creds);
      const usable =
        current !== undefined &&
        current.creds.expiration.getTime() - now > SERVE_WHILE_REFRESHING_MS
          ? current.creds
          : undefined;
      if (
        pending === undefined &&
        failure !== undefined &&
        now - failure.at < RETRY_AFTER_FAILURE_MS
      ) {
        return usable === undefined ? Promise.reject(failure.error) : Promise.resolve(usable);
      }
      if (pending === undefined) {
        pending = fetchNow();
        if (usable !== undefined) {
          // Served from the old credentials meanwhile: nobody awaits this one.
          pending.catch((e: unknown) => {
            deps.warn(
              `could not refresh the credentials (${e instanceof Error ? e.message : String(e)}); serving the current ones until they expire.`,
            );
          });
        }
      }
      return usable === undefined ? pending : Promise.resolve(usable);
    },
  };
}
