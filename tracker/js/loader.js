// The JS shell around the tracker's wasm: finds its own URL, loads the wasm from
// the same origin, and exposes window.RocketTracker. Wrapped, with wasm-bindgen's
// glue, in one IIFE by scripts/build-tracker.sh so nothing leaks into the page.
var script = document.currentScript;
var scriptUrl = (script && script.src) || "";
var api = (window.RocketTracker = window.RocketTracker || {});
api.getReferralCode = function () {
  return null;
};
wasm_bindgen({ module_or_path: new URL("referral-tracker_bg.wasm", scriptUrl || location.href) })
  .then(function () {
    wasm_bindgen.start(scriptUrl);
    api.getReferralCode = function () {
      return wasm_bindgen.getReferralCode() || null;
    };
    api.getCampaignId = function () {
      return wasm_bindgen.getCampaignId() || null;
    };
  })
  .catch(function (e) {
    console.warn("RocketTracker: failed to load", e);
  });
