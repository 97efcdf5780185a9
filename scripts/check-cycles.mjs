// Fails when the modules under src/ (or the directories given as arguments)
// import each other in a cycle. CI runs it (`npm run check:cycles`).
//
// What counts as an import: every relative module specifier a file names,
//   import x from "./a.ts"          export { y } from "./b.ts"
//   import type { T } from "./c.ts" export type { T } from "./d.ts"
//   import "./e.ts"                 await import("./f.ts")
//   type X = typeof import("./g.ts")
// Type-only imports count: they vanish from the bundle, but a cycle through
// types still ties the two concepts together, and issue #11 asks for no
// cycles, not for no runtime cycles. Dynamic imports count too: a lazy
// `import()` defers the load, not the dependency (the store dispatcher loads
// its backends that way, and a backend importing the dispatcher back is the
// cycle this check was written for). Bare specifiers (node:fs, packages) are
// not ours and are ignored.
//
// Files are parsed with the TypeScript compiler the project already has (a
// devDependency), so an import-like line in a comment, a string or a
// template literal is never mistaken for an import.
//
// Two graphs are checked: files, and the top-level folders of each checked
// directory (src/mfa, src/credentials, ...; a file at the top is its own
// node). Folders are the layers DESIGN.md names; mfa/ importing credentials/
// while credentials/ imports mfa/ is a cycle between concepts even when no
// two files import each other.
//
// Output: one block per strongly connected component, naming its files (or
// folders) and the imports that stay inside it (file:line). Exit 0 with no
// cycle, 1 with any, 2 on bad usage.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;
const DECLARATION = /\.d\.(?:ts|mts|cts)$/;

function listSources(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listSources(p, out);
    else if (SOURCE.test(name) && !DECLARATION.test(name)) out.push(p);
  }
  return out;
}

/** Relative specifiers named by one file, with the line each is on. */
function specifiersOf(file) {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (literal) => {
    if (!ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    found.push({ specifier: literal.text, line });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier) add(node.moduleSpecifier);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(node.moduleReference.expression);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0
    ) {
      add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((f) => f.specifier.startsWith("./") || f.specifier.startsWith("../"));
}

/** The file a relative specifier names, as TypeScript's NodeNext resolution would find it. */
function resolveSpecifier(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const candidates = [base];
  if (/\.(?:js|mjs|cjs)$/.test(base)) candidates.push(base.replace(/\.([mc]?)js$/, ".$1ts"));
  candidates.push(`${base}.ts`, join(base, "index.ts"));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Tarjan's algorithm, iterative so a deep graph cannot overflow the stack. */
function stronglyConnected(nodes, edgesOf) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work = [{ node: root, edges: edgesOf(root), i: 0 }];
    index.set(root, next);
    low.set(root, next);
    next++;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.edges.length) {
        const to = frame.edges[frame.i++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next);
          next++;
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edges: edgesOf(to), i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

const args = process.argv.slice(2);
if (args.some((a) => a.startsWith("-"))) {
  console.error("usage: node scripts/check-cycles.mjs [DIR...]   (default: src)");
  process.exit(2);
}
const roots = args.length > 0 ? args : ["src"];
for (const root of roots) {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    console.error(
      `check-cycles: ${root} is not a directory; give the source directories to check.`,
    );
    process.exit(2);
  }
}

const files = roots.flatMap((r) => listSources(resolve(r), [])).sort();
const known = new Set(files);
/** file -> [{ to, line }] for imports of files inside the checked directories */
const imports = new Map();
for (const file of files) {
  const edges = [];
  for (const { specifier, line } of specifiersOf(file)) {
    const to = resolveSpecifier(file, specifier);
    if (to !== undefined && known.has(to)) edges.push({ to, line });
  }
  imports.set(file, edges);
}

const show = (file) => relative(process.cwd(), file);
/** The folder a file belongs to: its checked directory's first path segment below it. */
const folderOf = new Map();
for (const root of roots) {
  const base = resolve(root);
  for (const file of files) {
    if (folderOf.has(file) || !file.startsWith(base + sep)) continue;
    const [first] = relative(base, file).split(sep);
    folderOf.set(file, join(base, first));
  }
}

/** Components of more than one node, or one that imports itself. */
function cyclesOf(nodes, targets) {
  return stronglyConnected(nodes, targets).filter(
    (c) => c.length > 1 || targets(c[0]).includes(c[0]),
  );
}

const fileTargets = (file) => [...new Set(imports.get(file).map((e) => e.to))];
const fileCycles = cyclesOf(files, fileTargets);

const folders = [...new Set(files.map((f) => folderOf.get(f)))];
const folderEdges = new Map(folders.map((d) => [d, new Set()]));
for (const file of files) {
  for (const e of imports.get(file)) {
    const from = folderOf.get(file);
    const to = folderOf.get(e.to);
    if (from !== to) folderEdges.get(from).add(to);
  }
}
const folderCycles = cyclesOf(folders, (d) => [...folderEdges.get(d)]);

const checked = `${files.length} files in ${roots.join(", ")}`;
if (fileCycles.length === 0 && folderCycles.length === 0) {
  console.log(`check-cycles: no import cycle between files or folders (${checked})`);
  process.exit(0);
}
let n = 0;
for (const cycle of fileCycles) {
  const members = new Set(cycle);
  console.log(`cycle ${++n} (${cycle.length} files):`);
  for (const file of [...cycle].sort()) {
    console.log(`  ${show(file)}`);
    for (const e of imports.get(file).filter((i) => members.has(i.to))) {
      console.log(`    line ${e.line} imports ${show(e.to)}`);
    }
  }
}
for (const cycle of folderCycles) {
  const members = new Set(cycle);
  console.log(`cycle ${++n} (${cycle.length} folders: ${[...cycle].sort().map(show).join(", ")}):`);
  for (const file of files.filter((f) => members.has(folderOf.get(f)))) {
    const across = imports
      .get(file)
      .filter((i) => members.has(folderOf.get(i.to)) && folderOf.get(i.to) !== folderOf.get(file));
    for (const e of across) console.log(`  ${show(file)}:${e.line} imports ${show(e.to)}`);
  }
}
console.error(
  `check-cycles: ${n} import cycle(s) (${checked}). ` +
    "Move what both sides need into a module of its own, so the imports point one way.",
);
process.exit(1);
