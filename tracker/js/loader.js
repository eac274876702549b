// RocketTracker's first script, /referral-tracker.js: all that a visitor without
// a referral downloads. It answers window.RocketTracker, decides in plain JS
// whether this visit carries a referral (a configured parameter in the URL, or
// a stored code) and only then loads the rest: the content-hashed script
// (js/tracker.js: the host functions, wasm-bindgen's ABI, the network) and the
// wasm, both from the script's own origin, fetched in parallel.
// A call that needs the wasm (trackSignup, trackPurchase) loads it on demand.
// Nothing here throws into the page: every entry point catches.

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

// The parameters that carry a code (config.rs): `ref` and the script's `params=`.
var names = ["ref"]
  .concat(
    safe(function () {
      // No throw when absent: an exception costs milliseconds (its stack trace).
      return (new URL(scriptUrl).searchParams.get("params") || "").split(",");
    }, []),
  )
  .map(function (n) {
    return n.replace(/^ +| +$/g, "");
  })
  .filter(String);

// A configured parameter with a value in the page URL, as browser.rs `capture`
// looks for one (first value of each name, decoded, empty is absent).
function inUrl() {
  return safe(function () {
    var q = new URLSearchParams(location.search);
    return names.some(function (n) {
      return q.get(n);
    });
  }, false);
}

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
  return /^[\w-]{1,64}$/.test(v || "") ? v : null;
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
    return impl
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
  getReferralCode: function () {
    return impl
      ? safe(function () {
          return impl.getReferralCode();
        }, null)
      : storedCode();
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
  window.RocketTracker = { q: queue, getReferralCode: queued("getReferralCode"), trackSignup: queued("trackSignup"), trackPurchase: queued("trackPurchase"), ready: api.ready };
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
    if (impl) impl.navigated();
    else if (inUrl()) load();
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

// A referral loads the wasm now; without one the API is answered from here,
// and a stub's queued track* call loads the wasm on demand.
if (inUrl() || storedCode()) load();
else answer();

safe(function () {
  performance.measure("rocket-tracker:loader", MARK);
});
