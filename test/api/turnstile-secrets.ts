// The secrets of the siteverify stand-in (vitest.config.ts's outboundService),
// shared by that Node-side mock and the specs in workerd: no imports, so both
// runtimes can load it. Cloudflare's documented test secrets, and three of ours
// for the failure modes siteverify itself cannot be asked for.
export const TURNSTILE = {
  passes: "1x0000000000000000000000000000000AA",
  fails: "2x0000000000000000000000000000000AA",
  spent: "3x0000000000000000000000000000000AA",
  hangs: "test-turnstile-hangs",
  errors: "test-turnstile-errors",
  needsAddress: "test-turnstile-needs-remoteip",
};
