import type { SecretStore } from "../../src/store/SecretStore.ts";
import { runStoreContract } from "../helpers/storeContract.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

// memoryStore() is one backing; each "instance" is a fresh view over it.
let backing = memoryStore();
const view = (): SecretStore => ({ ...backing });

runStoreContract(
  "memoryStore",
  () => Promise.resolve(view()),
  () => {
    backing = memoryStore();
    return Promise.resolve();
  },
);
