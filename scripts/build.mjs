// Builds dist/:
// - awsmfa.cjs, the bin (src/cli/bin.ts), and chunks/fast-path.cjs, one
//   small CommonJS bundle holding only what a cached credential_process
//   needs (cachedFastPath.ts), which the bin loads with V8's code cache;
// - cli.js, the whole CLI (src/cli/run.ts) with code splitting, so each
//   command (and the AWS SDK behind it) is a separate chunk loaded only when
//   that command runs; the bin imports it for everything else;
// - chunks/keyring-helper.cjs, the keyring helper process.
import { build } from "esbuild";
import { chmodSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, relative, resolve, sep } from "node:path";

// The CLI reads only the version from package.json; bundling the whole file
// would put the scripts and devDependencies into every start-up.
const onlyVersion = {
  name: "package-version",
  setup(b) {
    b.onLoad({ filter: /[\\/]package\.json$/ }, ({ path }) => ({
      contents: JSON.stringify({ version: JSON.parse(readFileSync(path, "utf8")).version }),
      loader: "json",
    }));
  },
};

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { cli: "src/cli/run.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  plugins: [onlyVersion],
});

// The keyring helper process, an entry of its own: keyringProcess.ts spawns
// it as ./keyring-helper.cjs beside the chunk that holds that code. CommonJS
// because it starts once per keyring-backed command: node starts this file
// ~20 ms sooner as CommonJS than as an ES module (measured on the 2-core box,
// 15 interleaved runs each: medians 57 vs 77 ms, as fast as the `node -e`
// program it replaces).
const cjs = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
};
await build({
  ...cjs,
  entryPoints: ["src/store/keyring/keyringHelperMain.ts"],
  outfile: "dist/chunks/keyring-helper.cjs",
});

// The lazy imports the fast path may take, bundled into the bin. Every other
// lazy import of our own code reached from bin.ts (a prompt, a keyring
// backend, the STS client, a command) becomes a module that throws: the fast
// path catches it and the bin runs the whole CLI instead. So the bin stays
// small however the rest grows, and a path it cannot finish is never half-run
// here. Node's built-in modules stay real imports.
const FAST_PATH_LAZY = [
  "src/config/loadAwsConfig.ts",
  "src/store/openStore.ts",
  "src/store/file/backend.ts",
  // In this process since the kernel keyring never blocks (no helper).
  "src/store/keyring/backends/keyutils.ts",
];
const onlyTheFastPath = {
  name: "only-the-fast-path",
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      const target = relative(process.cwd(), resolve(dirname(args.importer), args.path));
      if (FAST_PATH_LAZY.includes(target.split(sep).join("/"))) return undefined;
      return { path: target, namespace: "not-on-the-fast-path" };
    });
    // A package imported lazily (the keyring's native module) is require()d:
    // the bin compiles this bundle with node:vm (for V8's code cache), where
    // import() has no loader on every Node 20 release.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === "dynamic-import" && !args.path.startsWith("node:")
        ? { path: args.path, namespace: "require-package" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "require-package" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
      resolveDir: process.cwd(),
    }));
    b.onLoad({ filter: /.*/, namespace: "not-on-the-fast-path" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in the fast path`)});`,
      loader: "js",
    }));
  },
};
const common = { ...cjs, plugins: [onlyVersion, onlyTheFastPath] };
await build({
  ...common,
  entryPoints: ["src/cli/fastPathEntry.ts"],
  outfile: "dist/chunks/fast-path.cjs",
});
const fastPath = readFileSync("dist/chunks/fast-path.cjs");
if (/\bimport\(/.test(fastPath.toString("utf8"))) {
  throw new Error("dist/chunks/fast-path.cjs has an import(): node:vm cannot run it");
}
await build({
  ...common,
  entryPoints: ["src/cli/bin.ts"],
  outfile: "dist/awsmfa.cjs",
  banner: { js: "#!/usr/bin/env node" },
  // Names the code cache: another build never reads this one's (loadFastPath.ts).
  define: {
    FAST_PATH_DIGEST: JSON.stringify(
      createHash("sha256").update(fastPath).digest("hex").slice(0, 16),
    ),
  },
});
chmodSync("dist/awsmfa.cjs", 0o755);
