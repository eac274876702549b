#!/usr/bin/env node
// The rocket-tracker local test chain (NOT drand) over HTTP, for `npm start`
// (scripts/start.sh) and the draw tests; the chain itself is scripts/test-chain.mjs.
//
//   node scripts/test-beacon.mjs [--port N] [--genesis SECS] [--period SECS] [--parent-pid PID]
//
// Serves GET /{chainHash}/info, /{chainHash}/public/{round} (404 before the
// round's time) and /{chainHash}/public/latest on 127.0.0.1; prints
// DRAND_URL=, DRAND_CHAIN_HASH=, DRAND_PUBLIC_KEY=, DRAND_GENESIS=, DRAND_PERIOD=
// lines once listening; with --parent-pid it exits when that process is gone.
import http from "node:http";
import { beaconAnswer, TEST_CHAIN_HASH, TEST_PUBLIC_KEY } from "./test-chain.mjs";

export * from "./test-chain.mjs";

/** Starts the chain on 127.0.0.1 (port 0: any free one); resolves with its URL and a stop.
 * @param {{ port?: number, genesis?: number, period?: number }} [opts] */
export async function startBeacon({ port = 0, genesis = Math.floor(Date.now() / 1000), period = 1 } = {}) {
  const server = http.createServer((req, res) => {
    const { status, body } =
      req.method === "GET" ? beaconAnswer(new URL(req.url ?? "/", "http://x").pathname, { genesis, period }) : { status: 405, body: { error: "GET only" } };
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    genesis,
    period,
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** @param {string[]} argv */
async function main(argv) {
  /** @param {string} name */
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const beacon = await startBeacon({
    port: Number(opt("--port") ?? 0),
    genesis: opt("--genesis") ? Number(opt("--genesis")) : undefined,
    period: Number(opt("--period") ?? 1),
  });
  process.stdout.write(
    [
      `DRAND_URL=${beacon.url}`,
      `DRAND_CHAIN_HASH=${TEST_CHAIN_HASH}`,
      `DRAND_PUBLIC_KEY=${TEST_PUBLIC_KEY}`,
      `DRAND_GENESIS=${beacon.genesis}`,
      `DRAND_PERIOD=${beacon.period}`,
      "",
    ].join("\n"),
  );
  const parent = opt("--parent-pid");
  if (parent) {
    // npm start's wrangler: when it is gone, so is its beacon.
    setInterval(() => {
      try {
        process.kill(Number(parent), 0);
      } catch {
        process.exit(0);
      }
    }, 1000);
  }
}

if (process.argv[1]?.endsWith("/test-beacon.mjs")) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
