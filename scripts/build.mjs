// Bundles the CLI into dist/ with code splitting, so each command (and the
// AWS SDK behind it) is a separate chunk loaded only when that command runs.
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";

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
  entryPoints: {
    awsmfa: "src/cli/main.ts",
    // The keyring helper process (src/store/keyring/keyringProcess.ts runs
    // it): beside the chunk that spawns it, found as ./keyring-helper.js.
    "chunks/keyring-helper": "src/store/keyring/keyringHelperMain.ts",
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  banner: { js: "#!/usr/bin/env node" },
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  plugins: [onlyVersion],
});
