// LOCAL DEMO SEEDING ONLY, never deployed: the entry module of the short-lived
// `wrangler dev` that scripts/demo-activity.mjs starts to play 30 days of demo
// activity into the local D1 database before `npm start` serves it.
//
// It is the built worker (edge/build/index.js, the same engine `npm start` and a
// deployment run) with one difference: the wall clock. A request carrying
// `x-rocket-demo-clock: <ms since the epoch>` runs as if it were that time
// (`Date.now`, which the worker's `platform::now_ms` reads), so a visit, signup,
// purchase, refund or review made "20 days ago" is written by the worker's own
// rules with that day's timestamps, holds and counters. Nothing here is in the
// deployed bundle: wrangler.toml's `main` is edge/build/index.js, and this file is
// only ever named on the command line of that seeding run (the demo-data e2e test
// checks the deployed bundle has no trace of the header).
//
// The seeder sends one request at a time (or a burst sharing one time), so the
// isolate-wide clock is never shared by two different times.
import Worker from "../edge/build/index.js";

const realNow = Date.now.bind(Date);
let offsetMs = 0;
Date.now = () => realNow() + offsetMs;

/** The simulated time a request asks for, as an offset from the real clock. @param {Request} request */
function offsetOf(request) {
  const at = Number(request.headers.get("x-rocket-demo-clock"));
  return Number.isFinite(at) && at > 0 ? at - realNow() : 0;
}

export default class DemoClock extends Worker {
  /** @param {Request} request */
  async fetch(request) {
    offsetMs = offsetOf(request);
    return super.fetch(request);
  }
}
