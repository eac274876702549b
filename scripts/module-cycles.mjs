// The module import graph of edge/src must have no cycle: reads every
// `use crate::a::b` (and `crate::a::` paths) of each module file, maps them to
// top-level modules, and fails naming a cycle if there is one. `db/`, `domain/`
// and `handlers/` are checked as their own modules too (db::x -> db::y is fine,
// but a cycle between two of them is not).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

const SRC = new URL("../edge/src/", import.meta.url).pathname;

/** Every .rs file under `dir`.
 * @param {string} dir
 * @returns {string[]} */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".rs") ? [path] : [];
  });
}

/** `db/ledger.rs` -> `db::ledger`; `db/mod.rs` -> `db`; `lib.rs` -> `crate`.
 * @param {string} path */
function moduleOf(path) {
  const parts = relative(SRC, path).replace(/\.rs$/, "").split(sep);
  if (parts.at(-1) === "mod") parts.pop();
  return parts.length === 1 && parts[0] === "lib" ? "crate" : parts.join("::");
}

const modules = new Map(files(SRC).map((f) => [moduleOf(f), f]));

/** The known module a `crate::` path names: its longest prefix that is a module.
 * @param {string} path */
function target(path) {
  const segments = path.split("::");
  for (let n = segments.length; n > 0; n--) {
    const candidate = segments.slice(0, n).join("::");
    if (modules.has(candidate)) return candidate;
  }
  return null;
}

/** Every `crate::...` path in a file, with `use crate::{a, b::c}` groups expanded.
 * @param {string} text */
function cratePaths(text) {
  const code = text.replace(/\/\/.*$/gm, "");
  /** @type {string[]} */
  const paths = [];
  for (const m of code.matchAll(/use crate::\{([^}]*(?:\{[^}]*\}[^}]*)*)\}/g)) {
    for (const item of m[1].split(/,(?![^{]*\})/)) paths.push(item.trim().split("::{")[0].replace(/::\*$/, ""));
  }
  for (const m of code.matchAll(/crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)/g)) paths.push(m[1]);
  return paths.filter(Boolean);
}

/** @type {Map<string, Set<string>>} */
const edges = new Map();
for (const [mod, file] of modules) {
  const deps = new Set();
  for (const path of cratePaths(readFileSync(file, "utf8"))) {
    const to = target(path);
    // A module using its own descendants (db -> db::ledger) is structure, not a dependency.
    if (to && to !== mod && !to.startsWith(`${mod}::`) && mod !== "crate") deps.add(to);
  }
  edges.set(mod, deps);
}

// Depth-first search for a back edge.
/** @type {Map<string, "open" | "done">} */
const state = new Map();
/** @type {string[]} */
const stack = [];
/** @param {string} mod */
function visit(mod) {
  state.set(mod, "open");
  stack.push(mod);
  for (const dep of edges.get(mod) ?? []) {
    if (state.get(dep) === "open") {
      const cycle = [...stack.slice(stack.indexOf(dep)), dep];
      console.error(`module cycle in edge/src: ${cycle.join(" -> ")}`);
      process.exit(1);
    }
    if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(mod, "done");
}
for (const mod of modules.keys()) if (!state.has(mod)) visit(mod);
const count = [...edges.values()].reduce((n, d) => n + d.size, 0);
console.log(`edge/src: ${modules.size} modules, ${count} imports, no cycle`);
