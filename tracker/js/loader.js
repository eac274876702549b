// RocketTracker's first script, /referral-tracker.js: all that a visitor without
// a referral downloads. It answers window.RocketTracker, decides in plain JS
// whether this visit carries a referral (a configured parameter in the URL, or
// a stored code) and only then loads the rest: the content-hashed script
// (js/tracker.js: the host functions, wasm-bindgen's ABI, the network) and the
// wasm, both from the script's own origin, fetched in parallel.
// A call that needs the wasm (trackSignup, trackPurchase) loads it on demand.
// With `consent=required` in the script URL nothing is stored, read from
// storage or sent (the wasm is not even fetched) until consent(true); the
// URL's code is kept in memory for the page meanwhile. consent(false) clears
// what was stored. Nothing here throws into the page: every entry point catches.

function safe(f, fallback) {
  try {
    return f();
  } catch (e) {
    return fallback;
  }
}

var MARK = "rocket-tracker:start";
safe(function () {
  performance.mark(MARK);
});

var script = document.currentScript;
var scriptUrl = (script && script.src) || "";
var stub = window.RocketTracker;
var queue = (stub && stub.q) || [];
var readyCallbacks = [];
var isReady = false;
// What js/tracker.js hands back once the wasm runs; until then calls queue.
var impl;
var loading = false;

// The script's options (config.rs reads the same URL), parsed once; an absent
// one is null, not a throw: an exception costs milliseconds (its stack trace).
var options = safe(function () {
  return new URL(scriptUrl).searchParams;
});
function option(name) {
  return options ? options.get(name) : null;
}
// Consent: given unless the script says it is required (then: consent(true)).
var consented = option("consent") != "required";
// The parameters that carry a code (config.rs): `ref` and the script's `params=`.
var names = ["ref"]
  .concat((option("params") || "").split(","))
  .map(function (n) {
    return n.replace(/^ +| +$/g, "");
  })
  .filter(String);

// The first configured parameter with a value in the page URL, as browser.rs
// `capture` looks for one (first value of each name, decoded, empty is absent).
function inUrl() {
  return safe(function () {
    var q = new URLSearchParams(location.search);
    return names
      .map(function (n) {
        return q.get(n);
      })
      .filter(Boolean)[0];
  });
}

// A valid ReferralCode (rules/src/referral_code.rs), or null.
function valid(code) {
  return /^[\w-]{1,64}$/.test(code || "") ? code : null;
}

// Until consent: the code this page arrived with (its query, for the wasm).
var landed = inUrl();
var landedQuery = location.search;

// The stored code exactly as browser.rs `stored_referral_code` reads it: the
// first `rt_ref` cookie, percent-decoded, else localStorage's `rt_ref`; a valid
// ReferralCode (rules/src/referral_code.rs) or null. What getReferralCode
// answers while the wasm is not needed.
function storedCode() {
  var m = /(?:^|;)\s*rt_ref=([^;]*)/.exec(
      safe(function () {
        return document.cookie;
      }, ""),
    ),
    v =
      (m &&
        safe(function () {
          return decodeURIComponent(m[1].trim());
        })) ||
      safe(function () {
        return localStorage.getItem("rt_ref");
      });
  return valid(v);
}

// consent(false): the cookie on every domain the wasm may have set it on (the
// host and each parent: cookie.rs), localStorage's fallback, the session's visit.
function forget() {
  var host = location.hostname.split(".");
  while (host.length) {
    document.cookie = "rt_ref=; Path=/; Max-Age=0; Domain=" + host.join(".");
    host.shift();
  }
  document.cookie = "rt_ref=; Path=/; Max-Age=0";
  safe(function () {
    localStorage.removeItem("rt_ref");
  });
  sessionStorage.removeItem("rt_visit");
}

// Until the wasm is here (or when it must come first), calls queue and run in
// order after, answering with promises as the inline stub's do.
function queued(name) {
  return function () {
    var args = arguments;
    load();
    return new Promise(function (resolve) {
      queue.push([name, args, resolve]);
    });
  };
}

function delegate(name) {
  var later = queued(name);
  return function () {
    var args = arguments;
    return !consented
      ? Promise.resolve({ success: false, error: "No consent" })
      : impl
        ? safe(function () {
            return impl[name].apply(impl, args);
          })
        : later.apply(this, args);
  };
}

var api = {
  // Always a value, as the loaded API promises: without the wasm, the JS answer
  // above. (While the wasm loads, window.RocketTracker is the queue again, whose
  // answer waits for it: a ?ref arriving by pushState is stored by the wasm.)
  // Without consent, only the code in memory (storage is not read).
  getReferralCode: function () {
    return !consented
      ? valid(landed)
      : impl
        ? safe(function () {
            return impl.getReferralCode();
          }, null)
        : storedCode();
  },
  // consent(true): store the page's code and send its visit (the wasm loads);
  // consent(false): clear what was stored, and stop.
  consent: function (given) {
    consented = !!given;
    if (!given) safe(forget);
    else if (landed || storedCode()) load();
  },
  trackSignup: delegate("trackSignup"),
  trackPurchase: delegate("trackPurchase"),
  ready: function (cb) {
    if (isReady)
      safe(function () {
        cb(api);
      });
    else readyCallbacks.push(cb);
  },
};

// The API is answered: replay what queued (the stub's calls too), then ready.
function answer() {
  window.RocketTracker = api;
  queue.splice(0).forEach(function (call) {
    var result = safe(function () {
      return api[call[0]].apply(api, call[1]);
    });
    if (call[2]) call[2](result);
  });
  if (!isReady) {
    isReady = true;
    readyCallbacks.splice(0).forEach(api.ready);
    safe(function () {
      dispatchEvent(new CustomEvent("rockettracker:ready", { detail: api }));
    });
  }
}

// The wasm compiles while it streams in, the script downloads alongside; the
// script finds both on its own element (no global but window.RocketTracker).
// FULL_FILE, WASM_FILE: the content-hashed names, defined by the build.
function load() {
  if (loading) return;
  loading = true;
  window.RocketTracker = { q: queue, getReferralCode: queued("getReferralCode"), trackSignup: queued("trackSignup"), trackPurchase: queued("trackPurchase"), consent: queued("consent"), ready: api.ready };
  safe(function () {
    var base = scriptUrl || location.href;
    var wasm = fetch(new URL(WASM_FILE, base));
    var module = WebAssembly.compileStreaming
      ? WebAssembly.compileStreaming(wasm)
      : wasm
          .then(function (r) {
            return r.arrayBuffer();
          })
          .then(WebAssembly.compile);
    module.catch(function () {});
    var s = document.createElement("script");
    s.src = new URL(FULL_FILE, base);
    s.rt = {
      url: scriptUrl,
      // The query the page landed with (an SPA may have moved on before consent).
      query: landedQuery,
      module: module,
      done: function (tracker) {
        impl = tracker;
        answer();
      },
    };
    s.onerror = function (e) {
      console.warn("RocketTracker: not loaded", e);
    };
    (document.head || document.documentElement).appendChild(s);
  });
}

// Single-page apps: a ?ref= can arrive without a page load. With the wasm here
// it captures it; without, a referral in the new URL loads it (its start captures).
function navigated() {
  safe(function () {
    var code = inUrl();
    if (code) {
      landed = code;
      landedQuery = location.search;
    }
    if (!consented) return;
    if (impl) impl.navigated();
    else if (code) load();
  });
}
safe(function () {
  ["pushState", "replaceState"].forEach(function (k) {
    var original = history[k];
    history[k] = function () {
      var result = original.apply(this, arguments);
      navigated();
      return result;
    };
  });
  addEventListener("popstate", navigated);
});

// A referral loads the wasm now (with consent); without one the API is
// answered from here, and a stub's queued track* call loads the wasm on demand.
if (consented && (landed || storedCode())) load();
else answer();

safe(function () {
  performance.measure("rocket-tracker:loader", MARK);
});
