// The tracker's second script, /referral-tracker.<hash>.js, loaded by
// js/loader.js only when a visit needs the wasm (a referral, or a track* call).
// It instantiates the wasm the loader is already compiling, captures the
// referral (start), sends events, tags Stripe checkouts, and hands the API's
// wasm-backed functions back to the loader, which replays queued calls.
// scripts/build-tracker.sh bundles it with js/host.js into one minified IIFE. Nothing here throws into the page: every entry point catches.
import { rtHost } from "./host.js";

// The wasm's side of wasm-bindgen's ABI (0.2.130, pinned in tracker/Cargo.toml),
// written by hand: its generated glue is ~1.4 KB gzip and most of it handles
// what the tracker never passes (only strings cross, and Option<String> back).
// A string goes in as (ptr, len) in memory from __wbindgen_malloc, which the
// wasm then owns; one comes back as [ptr, len] (ptr 0: None), which we free.
// tracker/tests and the e2e tests call every export through this.
var wasm;
var encoder = new TextEncoder();
var decoder = new TextDecoder("utf-8", { ignoreBOM: true });

function pass(s, into) {
  var bytes = encoder.encode(s);
  var ptr = wasm.__wbindgen_malloc(bytes.length, 1);
  new Uint8Array(wasm.memory.buffer).set(bytes, ptr);
  into.push(ptr, bytes.length);
  return into;
}

function read(ptr, len) {
  return decoder.decode(new Uint8Array(wasm.memory.buffer, ptr, len));
}

// Calls an export with string arguments; its Option<String> as a string or undefined.
function call(name) {
  var args = [];
  for (var i = 1; i < arguments.length; i++) pass(arguments[i], args);
  var r = wasm[name].apply(null, args);
  if (!r || !r[0]) return;
  var s = read(r[0], r[1]);
  wasm.__wbindgen_free(r[0], r[1], 1);
  return s;
}

// An import answering Option<String>: [ptr, len] written at `at` (ptr 0: None).
function answer(at, s) {
  var r = s == null ? [0, 0] : pass(s, []);
  var view = new DataView(wasm.memory.buffer);
  view.setInt32(at, r[0], true);
  view.setInt32(at + 4, r[1], true);
}

// The imports, by name without wasm-bindgen's prefix and hash suffix.
var imports = {
  get: function (at, what) {
    answer(at, rtHost.get(what));
  },
  param: function (at, qPtr, qLen, nPtr, nLen) {
    answer(at, rtHost.param(read(qPtr, qLen), read(nPtr, nLen)));
  },
  decode: function (at, ptr, len) {
    answer(at, rtHost.decode(read(ptr, len)));
  },
  setCookie: function (ptr, len) {
    rtHost.setCookie(read(ptr, len));
  },
  storage: function (at, session, kPtr, kLen, vPtr, vLen) {
    answer(at, rtHost.storage(session, read(kPtr, kLen), vPtr ? read(vPtr, vLen) : undefined));
  },
  init_externref_table: function () {
    var t = wasm.__wbindgen_externrefs;
    t.set(0, undefined);
    t.set(1024, undefined);
    t.set(1025, null);
    t.set(1026, true);
    t.set(1027, false);
  },
};

function instantiate(module) {
  var linked = {};
  WebAssembly.Module.imports(module).forEach(function (i) {
    (linked[i.module] = linked[i.module] || {})[i.name] = imports[i.name.replace(/^__wbg_|_[0-9a-f]{16}$|^__wbindgen_/g, "")];
  });
  wasm = new WebAssembly.Instance(module, linked).exports;
  wasm.__wbindgen_start();
}

function safe(f, fallback) {
  try {
    return f();
  } catch (e) {
    return fallback;
  }
}

// The loader's hand-off, on this script's own element: { url, module, done }.
var loader = safe(function () {
  return document.currentScript.rt;
});
var scriptUrl = (loader && loader.url) || "";
// Events go where the script came from, its directory: the worker's origin,
// or /rt on the site's own (first-party mode, where the visit's answer sets
// the cookie: so fetch's default credentials, same-origin, not "omit").
var apiBase = safe(function () {
  return new URL(".", scriptUrl).href.slice(0, -1);
}, "");
var warned = false;

function warnOnce(e) {
  if (!warned) {
    warned = true;
    console.warn("RocketTracker: API unreachable", e);
  }
}

// Events go as text/plain: a "simple" CORS request, so no preflight round trip.
// No body: nothing to send, and `why` says so.
function post(path, body, why) {
  if (!body) return Promise.resolve({ success: false, error: why });
  return fetch(apiBase + path, { method: "POST", body: body, keepalive: true })
    .then(function (r) {
      return r.json();
    })
    .catch(function (e) {
      warnOnce(e);
      return { success: false, error: "API unreachable" };
    });
}

function text(v) {
  return typeof v == "string" ? v : "";
}

function visit(body) {
  if (body) post("/api/referral/track-visit", body);
}

// A signup that made the entry answers its participant token for this browser:
// kept where the participant widget looks (its key, rocket-referral:<contestId>)
// and announced, so a widget on this page shows the participant at once.
function signedUp(r) {
  var p = r && r.data && r.data.participant;
  var key = "rocket-referral:";
  if (p) safe(function () {
    localStorage.setItem(key + p.contestId, p.token);
    dispatchEvent(new CustomEvent(key + "token", { detail: p }));
  });
  return r;
}

// What the loader's API calls once the wasm is here.
var tracker = {
  getReferralCode: function () {
    return call("getReferralCode") || null;
  },
  // trackSignup(email), trackSignup(email, name) or
  // trackSignup(email, { name, turnstileToken }); what is not a string is left out.
  trackSignup: function (email, options) {
    return post("/api/referral/track-signup", safe(function () {
      var name = options && typeof options == "object" ? options.name : options;
      return call("signupBody", String(email), text(name), text(options && options.turnstileToken));
    }), "Not referred").then(signedUp);
  },
  trackPurchase: function (orderId, amount, currency, email) {
    return post("/api/referral/track-purchase", safe(function () {
      return call("purchaseBody", String(orderId), String(+amount), currency == null ? "" : String(currency), String(email));
    }), "Invalid amount or missing campaignId");
  },
  navigated: function () {
    visit(call("navigated"));
  },
};

// Stripe auto-inject: Payment Links get client_reference_id (the rule is the
// wasm's tagPaymentLink); buy buttons and pricing tables get the attribute,
// unless the site set one itself.
function injectStripe() {
  var code = call("stripeCode");
  if (!code) return;
  document.querySelectorAll('a[href^="https://buy.stripe.com/"]').forEach(function (a) {
    var href = call("tagPaymentLink", a.getAttribute("href"), code);
    if (href) a.setAttribute("href", href);
  });
  document.querySelectorAll("stripe-buy-button,stripe-pricing-table").forEach(function (el) {
    if (!el.hasAttribute("client-reference-id")) el.setAttribute("client-reference-id", code);
  });
}

function injectSoon() {
  var pending = false;
  return function () {
    if (pending) return;
    pending = true;
    setTimeout(function () {
      pending = false;
      safe(injectStripe);
    }, 0);
  };
}

function startUp() {
  // Captured from the query the page landed with (consent may come later).
  visit(call("start", scriptUrl, loader.query));
  call("settle");
  if (call("stripeCode")) {
    var inject = injectSoon();
    inject();
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", inject);
    new MutationObserver(inject).observe(document.documentElement, { childList: true, subtree: true });
  }
}

// The marks time this script's part of
// the main thread's start-up (the loader times its own).
var MARK = "rocket-tracker:wasm";
safe(function () {
  loader.module
    .then(function (module) {
      safe(function () {
        performance.mark(MARK);
      });
      instantiate(module);
      safe(startUp);
      loader.done(tracker);
      safe(function () {
        performance.measure(MARK, MARK);
      });
    })
    .catch(function (e) {
      console.warn("RocketTracker: not loaded", e);
    });
});
