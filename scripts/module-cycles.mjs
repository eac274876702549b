// The module import graph of edge/src must have no cycle: reads every path of
// each module file that names a module of the crate (`crate::a::b`,
// `super::a`, `self::a`, and `use crate::{a, b::c}` / `use super::{a, b}`
// groups), resolves it against the module it is written in (inline `mod x { }`
// blocks such as `mod tests` included), maps it to the longest known module,
// and fails naming a cycle if there is one. `db/`, `domain/` and `handlers/`
// are checked as their own modules too (db::x -> db::y is fine, but a cycle
// between two of them is not).
//
// The pure core: `domain` (and its submodules) may import only `domain`, and
// never the `worker` crate, so its rules stay runnable and testable natively
// (the compiler would say the same were it a crate of its own).
//
// `node scripts/module-cycles.mjs [src-dir]`: src-dir defaults to edge/src; its
// own test (scripts/module-cycles.test.mjs) runs it on the fixture trees under
// scripts/fixtures/module-cycles/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

const SRC = process.argv[2] ? resolve(process.argv[2]) : new URL("../edge/src/", import.meta.url).pathname;
const NAME = relative(process.cwd(), SRC) || ".";

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

/** The known module an absolute path (segments after `crate::`) names: its
 * longest prefix that is a module.
 * @param {string[]} segments */
function target(segments) {
  for (let n = segments.length; n > 0; n--) {
    const candidate = segments.slice(0, n).join("::");
    if (modules.has(candidate)) return candidate;
  }
  return null;
}

/** The code with comments, string and char literals blanked (their braces and
 * `crate::` text are not code); lifetimes (`'a`) are kept.
 * @param {string} text */
function code(text) {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const rest = text.slice(i, i + 3);
    if (rest.startsWith("//")) {
      i = text.indexOf("\n", i);
      if (i < 0) break;
    } else if (rest.startsWith("/*")) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (/^b?r#*"/.test(text.slice(i, i + 40)) && (i === 0 || !/\w/.test(text[i - 1]))) {
      const open = /** @type {RegExpMatchArray} */ (text.slice(i).match(/^b?r(#*)"/));
      const close = `"${open[1]}`;
      const end = text.indexOf(close, i + open[0].length);
      i = end < 0 ? text.length : end + close.length;
      out += '""';
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      i = j + 1;
      out += '""';
    } else if (c === "'" && (text[i + 1] === "\\" || text[i + 2] === "'")) {
      const end = text.indexOf("'", i + (text[i + 1] === "\\" ? 3 : 2));
      i = end < 0 ? text.length : end + 1;
      out += "' '";
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The paths of `use <root>::{a, b::c}` groups, one level of nesting expanded
 * to its head (`b::{c, d}` -> `b`).
 * @param {string} group */
function groupItems(group) {
  return group
    .split(/,(?![^{]*\})/)
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => item.split("::{")[0].replace(/\s+as\s+\w+$/, "").replace(/(^|::)(self|\*)$/, ""));
}

/** Every path in a file that starts at `crate`, `super` or `self`, as absolute
 * segments (without `crate`), resolved against the (inline) module it is in.
 * @param {string} text
 * @param {string} mod the file's module */
function pathsOf(text, mod) {
  const base = mod === "crate" ? [] : mod.split("::");
  /** @type {{ name: string, depth: number }[]} inline `mod x {` blocks open here */
  const inline = [];
  /** @type {string[][]} */
  const paths = [];
  const src = code(text);
  const token = /\bmod\s+([a-z_][a-z0-9_]*)\s*\{|[{}]|\b(?:crate|super|self)(?:::(?:super|self))*::(?:\{([^}]*(?:\{[^}]*\}[^}]*)*)\}|(?:\w+::)*(?:\w+|\*))/g;
  let depth = 0;
  for (const m of src.matchAll(token)) {
    const t = m[0];
    if (m[1]) {
      depth++;
      inline.push({ name: m[1], depth });
    } else if (t === "{") {
      depth++;
    } else if (t === "}") {
      if (inline.at(-1)?.depth === depth) inline.pop();
      depth--;
    } else {
      const here = [...base, ...inline.map((i) => i.name)];
      const segments = t.replace(/::(\{[\s\S]*|\*)$/, "").split("::");
      /** @type {string[]} */
      let root = here;
      let rest = segments;
      while (rest.length && ["crate", "super", "self"].includes(rest[0])) {
        if (rest[0] === "crate") root = [];
        else if (rest[0] === "super") root = root.slice(0, -1);
        rest = rest.slice(1);
      }
      const tails = m[2] !== undefined ? groupItems(m[2]).map((i) => (i ? i.split("::") : [])) : [[]];
      for (const tail of tails) paths.push([...root, ...rest, ...tail]);
    }
  }
  return paths;
}

/** @type {Map<string, Set<string>>} */
const edges = new Map();
for (const [mod, file] of modules) {
  const deps = new Set();
  for (const path of pathsOf(readFileSync(file, "utf8"), mod)) {
    const to = target(path);
    // A module using its own descendants (db -> db::ledger) is structure, not a dependency.
    if (to && to !== mod && !to.startsWith(`${mod}::`) && mod !== "crate") deps.add(to);
  }
  edges.set(mod, deps);
}

const isDomain = (/** @type {string} */ mod) => mod === "domain" || mod.startsWith("domain::");
for (const [mod, deps] of edges) {
  if (!isDomain(mod)) continue;
  const outside = [...deps].filter((d) => !isDomain(d));
  const usesWorker = /\bworker::/.test(code(readFileSync(/** @type {string} */ (modules.get(mod)), "utf8")));
  if (outside.length || usesWorker) {
    console.error(`impure domain in ${NAME}: ${mod} imports ${[...outside, ...(usesWorker ? ["worker"] : [])].join(", ")}`);
    process.exit(1);
  }
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
      console.error(`module cycle in ${NAME}: ${cycle.join(" -> ")}`);
      process.exit(1);
    }
    if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(mod, "done");
}
for (const mod of modules.keys()) if (!state.has(mod)) visit(mod);
const count = [...edges.values()].reduce((n, d) => n + d.size, 0);
console.log(`${NAME}: ${modules.size} modules, ${count} imports, no cycle`);
