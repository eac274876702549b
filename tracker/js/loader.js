// RocketTracker's JS shell around the wasm (tracker/src): finds its own URL,
// loads the wasm from the same origin, replays calls queued by the inline stub,
// and wires what only JS can: network, promises, history and DOM observers.
// scripts/build-tracker.sh bundles it with wasm-bindgen's glue into one
// minified IIFE, so nothing leaks into the page but window.RocketTracker.
// Nothing here throws into the page: every entry point catches.
import {
  initSync,
  getReferralCode,
  navigated,
  purchaseBody,
  settle,
  signupBody,
  start,
  stripeCode,
  tagPaymentLink,
} from "rocket-tracker-wasm";

function safe(f, fallback) {
  try {
    return f();
  } catch (e) {
    return fallback;
  }
}

var script = document.currentScript;
var scriptUrl = (script && script.src) || "";
var stub = window.RocketTracker;
var queue = (stub && stub.q) || [];
// Events go where the script came from (so a site on another domain works).
var apiBase = safe(function () {
  return new URL(scriptUrl).origin;
}, "");
var ready = false;
var readyCallbacks = [];
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
  return fetch(apiBase + path, { method: "POST", body: body, keepalive: true, credentials: "omit" })
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

var api = {
  getReferralCode: function () {
    return safe(function () {
      return getReferralCode() || null;
    }, null);
  },
  // trackSignup(email), trackSignup(email, name) or
  // trackSignup(email, { name, turnstileToken }); what is not a string is left out.
  trackSignup: function (email, options) {
    return post("/api/referral/track-signup", safe(function () {
      var name = options && typeof options == "object" ? options.name : options;
      return signupBody(String(email), text(name), text(options && options.turnstileToken));
    }), "Not referred");
  },
  trackPurchase: function (orderId, amount, currency, email) {
    return post("/api/referral/track-purchase", safe(function () {
      return purchaseBody(String(orderId), String(+amount), currency == null ? "" : String(currency), String(email));
    }), "Invalid amount or missing campaignId");
  },
  ready: function (cb) {
    if (ready) safe(function () { cb(api); });
    else readyCallbacks.push(cb);
  },
};

// Until the wasm is here, calls queue (as the stub's do) and run in order after.
function queued(name) {
  return function () {
    var args = arguments;
    return new Promise(function (resolve) {
      queue.push([name, args, resolve]);
    });
  };
}
window.RocketTracker = {
  q: queue,
  getReferralCode: queued("getReferralCode"),
  trackSignup: queued("trackSignup"),
  trackPurchase: queued("trackPurchase"),
  ready: function (cb) {
    readyCallbacks.push(cb);
  },
};

// Stripe auto-inject: Payment Links get client_reference_id (the rule is the
// wasm's tagPaymentLink); buy buttons and pricing tables get the attribute,
// unless the site set one itself.
function injectStripe() {
  var code = stripeCode();
  if (!code) return;
  document.querySelectorAll('a[href^="https://buy.stripe.com/"]').forEach(function (a) {
    var href = tagPaymentLink(a.getAttribute("href"), code);
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

function onLoaded() {
  visit(start(scriptUrl));
  settle();
  // Single-page apps: a ?ref= can arrive without a page load.
  ["pushState", "replaceState"].forEach(function (k) {
    var original = history[k];
    history[k] = function () {
      var result = original.apply(this, arguments);
      safe(function () {
        visit(navigated());
      });
      return result;
    };
  });
  addEventListener("popstate", function () {
    safe(function () {
      visit(navigated());
    });
  });
  if (stripeCode()) {
    var inject = injectSoon();
    inject();
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", inject);
    new MutationObserver(inject).observe(document.documentElement, { childList: true, subtree: true });
  }
  ready = true;
  window.RocketTracker = api;
  queue.forEach(function (call) {
    var result = safe(function () {
      return api[call[0]].apply(api, call[1]);
    });
    if (call[2]) call[2](result);
  });
  queue.length = 0;
  readyCallbacks.forEach(function (cb) {
    safe(function () { cb(api); });
  });
  safe(function () {
    dispatchEvent(new CustomEvent("rockettracker:ready", { detail: api }));
  });
}

// Compiled while streaming in, then instantiated with the glue's initSync: its
// async loader is larger than this and only adds fallbacks we do not need.
// WASM_FILE: the content-hashed name, defined by the build.
var wasmUrl = new URL(WASM_FILE, scriptUrl || location.href);
(WebAssembly.compileStreaming
  ? WebAssembly.compileStreaming(fetch(wasmUrl))
  : fetch(wasmUrl)
      .then(function (r) {
        return r.arrayBuffer();
      })
      .then(WebAssembly.compile)
)
  .then(function (module) {
    initSync({ module: module });
    safe(onLoaded);
  })
  .catch(function (e) {
    console.warn("RocketTracker: not loaded", e);
  });
