/**
 * What the fast-path bundle (dist/chunks/fast-path.cjs) gives the bin: the
 * cached credential_process answer, and the atomic writer the bin saves its
 * code cache with (loadFastPath.ts).
 */
export { cachedFastPath } from "./cachedFastPath.ts";
export { writeFileAtomic } from "../platform/fs.ts";
