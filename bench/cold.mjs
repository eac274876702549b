// Cold start: from spawning a fresh workerd (the runtime itself, no Miniflare
// around it) to the first answer of a request, for the built worker and for a
// JavaScript hello worker answering the same JSON 404; the median of
// BENCH_COLD_STARTS starts each (default 7), interleaved so drift hits both.
//
//   node bench/cold.mjs      (also run at the end of `npm run bench`; BENCH_COLD=0 skips it there)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { builtWorker, fmtMs, fmtRatio, HELLO_WORKER, textTable } from "./harness.mjs";

const STARTS = Number(process.env.BENCH_COLD_STARTS || 7);
/** The workerd binary Miniflare runs (the `workerd` package's default export). */
const WORKERD = /** @type {string} */ (createRequire(import.meta.url)("workerd").default);

/** A workerd config serving one worker of `modules` on a port workerd picks.
 * @param {string} modules */
const config = (modules) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = (modules = [${modules}], compatibilityDate = "2026-11-01")) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
`;

/** One start: spawn workerd, wait for its control message saying it listens,
 * send the first request, time its answer.
 * @param {string} configPath
 * @returns {Promise<{ listen: number, answer: number }>} ms from spawn */
async function startOnce(configPath) {
  const t0 = performance.now();
  const child = spawn(WORKERD, ["serve", configPath, "--control-fd=3"], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  try {
    const port = await new Promise((resolve, reject) => {
      let buffered = "";
      const control = /** @type {import("node:stream").Readable} */ (child.stdio[3]);
      control.on("data", (d) => {
        buffered += d;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          const message = JSON.parse(line);
          if (message.event === "listen") resolve(message.port);
        }
      });
      child.on("exit", (code) => reject(new Error(`workerd exited (${code}): ${stderr}`)));
    });
    const listen = performance.now() - t0;
    const res = await fetch(`http://127.0.0.1:${port}/api/nothing`);
    const body = await res.text();
    const answer = performance.now() - t0;
    if (res.status !== 404 || !body.includes("Not found")) throw new Error(`unexpected first answer ${res.status} ${body}`);
    return { listen, answer };
  } finally {
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill();
    await exited;
  }
}

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the starts and prints the comparison. */
export async function coldStart() {
  const dir = mkdtempSync(`${tmpdir()}/rocket-cold-`);
  try {
    const build = await builtWorker();
    symlinkSync(`${build}/index.js`, `${dir}/index.js`);
    symlinkSync(`${build}/index_bg.wasm`, `${dir}/index_bg.wasm`);
    writeFileSync(`${dir}/hello.js`, HELLO_WORKER);
    writeFileSync(
      `${dir}/ours.capnp`,
      config(`(name = "index.js", esModule = embed "index.js"), (name = "index_bg.wasm", wasm = embed "index_bg.wasm")`),
    );
    writeFileSync(`${dir}/hello.capnp`, config(`(name = "hello.js", esModule = embed "hello.js")`));
    await startOnce(`${dir}/hello.capnp`); // the binary into the page cache
    /** @type {{ listen: number, answer: number }[]} */
    const ours = [];
    /** @type {{ listen: number, answer: number }[]} */
    const hello = [];
    for (let i = 0; i < STARTS; i++) {
      ours.push(await startOnce(`${dir}/ours.capnp`));
      hello.push(await startOnce(`${dir}/hello.capnp`));
    }
    const row = (/** @type {string} */ name, /** @type {{ listen: number, answer: number }[]} */ runs) => {
      const answer = median(runs.map((r) => r.answer));
      const listen = median(runs.map((r) => r.listen));
      return { name, answer, listen, first: median(runs.map((r) => r.answer - r.listen)) };
    };
    const a = row("rocket worker (wasm)", ours);
    const b = row("JavaScript hello worker", hello);
    console.log(`\ncold start: spawn of a fresh workerd to the first answer (GET /api/nothing), median of ${STARTS} starts each`);
    console.log(
      textTable([
        ["worker", "to first answer ms", "to listening ms", "first request ms"],
        ...[a, b].map((r) => [r.name, fmtMs(r.answer), fmtMs(r.listen), fmtMs(r.first)]),
      ]),
    );
    console.log(
      `ratio ours / hello: x${fmtRatio(a.answer / b.answer)} to the first answer (${fmtMs(a.answer - b.answer)} ms more); ` +
        `first request alone x${fmtRatio(a.first / b.first)}`,
    );
    return { ours: a, hello: b };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await coldStart();
