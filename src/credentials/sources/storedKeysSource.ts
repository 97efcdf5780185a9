/** Long-term keys from the secret store: what awsmfa is for. */
import { AwsmfaError, redactKeyId } from "../../errors.ts";
import { parseStoredKeys } from "../../store/SecretStore.ts";
import type { SourceKind } from "./SourceContext.ts";

export const storedKeysSource: SourceKind<"stored-keys"> = {
  async load(source, { deps }) {
    const raw = await deps.store.get("keys", source.profile);
    const keys = raw === undefined ? undefined : parseStoredKeys(raw);
    if (keys === undefined) {
      throw new AwsmfaError(
        raw === undefined ? "E_NO_STORED_KEYS" : "E_STORED_KEYS_UNREADABLE",
        raw === undefined
          ? `The keys of profile ${source.profile} disappeared from the ${deps.store.backend} store.`
          : `The keys stored for profile ${source.profile} in the ${deps.store.backend} store are not readable.`,
        { hint: `Store them again with 'awsmfa add ${source.profile}'.` },
      );
    }
    deps.debug(
      `using the stored keys of profile ${source.profile} (${redactKeyId(keys.accessKeyId)})`,
    );
    return keys;
  },
  describe: (source) => `the stored keys of profile ${source.profile}`,
};
