import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { systemClock } from "../../platform/clock.ts";
import { runStoreContract } from "../../../test/helpers/storeContract.ts";
import { fileStore } from "./fileStore.ts";

const root = await mkdtemp(join(tmpdir(), "awsmfa-filestore-"));
const dir = join(root, "store");
after(() => rm(root, { recursive: true, force: true }));

runStoreContract(
  "file",
  () =>
    Promise.resolve(
      fileStore({
        dir,
        passphrase: () => Promise.resolve("correct horse"),
        clock: systemClock,
        // Low scrypt cost: the contract is about storage, not the KDF.
        scrypt: { N: 1024, r: 8, p: 1 },
      }),
    ),
  () => rm(dir, { recursive: true, force: true }),
);
