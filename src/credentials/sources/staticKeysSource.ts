/** Keys in plain text in the AWS config or credentials file (used, with a nudge to store them). */
import { redactKeyId } from "../../errors.ts";
import type { SourceKind } from "./SourceContext.ts";

export const staticKeysSource: SourceKind<"static-keys"> = {
  load(source, { deps }) {
    const k = deps.config.profiles.get(source.profile)?.staticKeys;
    if (k === undefined)
      throw new Error(`static keys of ${source.profile} vanished from the config`);
    deps.debug(
      `using keys in plain text from ${k.where.file}:${String(k.where.line)} (${redactKeyId(k.accessKeyId)}); 'awsmfa add ${source.profile}' would keep them encrypted`,
    );
    const { accessKeyId, secretAccessKey, sessionToken } = k;
    return Promise.resolve(
      sessionToken === undefined
        ? { accessKeyId, secretAccessKey }
        : { accessKeyId, secretAccessKey, sessionToken },
    );
  },
  describe: (source) => `the keys in ${source.where.file}:${String(source.where.line)}`,
};
