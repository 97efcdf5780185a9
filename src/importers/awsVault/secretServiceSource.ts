/**
 * aws-vault's secret-service backend: collection "awsvault"
 * (AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME), item label = key, attribute
 * profile = key, secret = the keyring item JSON. Read with dbus-send (the
 * labels) and secret-tool (the secrets).
 */
import { AwsmfaError } from "../../errors.ts";
import { nonEmpty } from "../../platform/env.ts";
import { itemData, runCommand, type Source, type SourceInput } from "./Source.ts";

export function secretServiceSource(input: SourceInput, timeoutMs: number): Source {
  const collection = nonEmpty(input.env.AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME) ?? "awsvault";
  // gnome-keyring derives the object path from the label, escaping
  // anything but [A-Za-z0-9] as _XX.
  const collectionPath = `/org/freedesktop/secrets/collection/${collection.replace(
    /[^A-Za-z0-9]/g,
    (c) => `_${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  )}`;
  const dbusGet = async (path: string, iface: string, prop: string): Promise<string> => {
    const r = await runCommand(
      "dbus-send",
      [
        "--session",
        "--print-reply",
        `--reply-timeout=${String(timeoutMs)}`,
        "--dest=org.freedesktop.secrets",
        path,
        "org.freedesktop.DBus.Properties.Get",
        `string:${iface}`,
        `string:${prop}`,
      ],
      input.env,
      timeoutMs + 1000,
    );
    if (r.code !== 0) {
      const why = r.stderr.trim();
      if (/UnknownObject|No such object|doesn't exist/i.test(why)) return "";
      throw new AwsmfaError("E_IMPORT_READ", `The Secret Service did not answer: ${why}`, {
        hint: "Start/unlock your keyring (the D-Bus session must be the one aws-vault used).",
      });
    }
    return r.stdout;
  };
  // Item paths of the collection, from keys(): secret-tool prints an item's
  // path relative to its collection ("[/1]"), so this is how we know that a
  // search hit is in aws-vault's collection and not another one.
  const itemPaths = new Set<string>();
  return {
    location: `Secret Service collection "${collection}"`,
    async keys() {
      const items = await dbusGet(collectionPath, "org.freedesktop.Secret.Collection", "Items");
      const paths = [...items.matchAll(/object path "([^"]+)"/g)].map((m) => m[1] ?? "");
      for (const p of paths) itemPaths.add(p);
      const labels: string[] = [];
      for (const p of paths) {
        const out = await dbusGet(p, "org.freedesktop.Secret.Item", "Label");
        const m = /string "((?:[^"\\]|\\.)*)"/.exec(out);
        if (m?.[1] !== undefined) labels.push(m[1]);
      }
      return labels;
    },
    async read(key) {
      const r = await runCommand(
        "secret-tool",
        ["search", "--all", "--unlock", "profile", key],
        input.env,
        timeoutMs,
      );
      if (r.code !== 0) {
        throw new AwsmfaError(
          "E_IMPORT_READ",
          `secret-tool could not read ${key}: ${r.stderr.trim()}`,
        );
      }
      // Blocks: "[<item path>]" then "key = value" lines; keep ours.
      for (const block of r.stdout.split(/^(?=\[)/m)) {
        const path = /^\[([^\]]+)\]/.exec(block)?.[1];
        if (path === undefined) continue;
        const ours =
          path.startsWith(`${collectionPath}/`) || itemPaths.has(`${collectionPath}${path}`);
        if (!ours) continue;
        const secret = /^secret = (.*)$/m.exec(block)?.[1];
        if (secret !== undefined) return itemData(secret, `${collection}/${key}`);
      }
      throw new AwsmfaError("E_IMPORT_READ", `No readable item ${key} in ${collection}.`);
    },
  };
}
