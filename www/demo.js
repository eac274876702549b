// The page's own code: it only talks to window.RocketTracker, and embeds the
// referral widget when npm start left it a token.
/** @param {string} id */
var byId = function (id) { return /** @type {HTMLElement} */ (document.getElementById(id)); };
/** @param {string} id */
var inputValue = function (id) { return /** @type {HTMLInputElement} */ (byId(id)).value; };
/** @param {string} id @param {unknown} value */
var show = function (id, value) { byId(id).textContent = JSON.stringify(value, null, 2); };
RocketTracker.ready(function (t) {
  byId("referral-code").textContent = t.getReferralCode() || "none";
});
byId("signup").addEventListener("submit", function (e) {
  e.preventDefault();
  RocketTracker.trackSignup(inputValue("signup-email"), inputValue("signup-name") || undefined)
    .then(function (r) { show("signup-result", r); });
});
byId("checkout").addEventListener("submit", function (e) {
  e.preventDefault();
  RocketTracker.trackPurchase(
    inputValue("checkout-order"),
    inputValue("checkout-amount"),
    "USD",
    inputValue("checkout-email")
  ).then(function (r) { show("checkout-result", r); });
});
byId("add-link").addEventListener("click", function () {
  var a = document.createElement("a");
  a.id = "late-link";
  a.href = "https://buy.stripe.com/test_added_later";
  a.textContent = "A Payment Link added after load";
  byId("later").appendChild(a);
});
// The referral widget for the demo advocate: npm start writes the contest and a
// participant token to /demo-widget.json (a site's server would mint the token
// for its logged-in user). Without that file (a deployed site) there is none.
fetch("/demo-widget.json")
  .then(function (r) { return r.ok ? r.json() : null; })
  .then(function (/** @type {{ contestId: string, token?: string } | null} */ demo) {
    if (!demo) return;
    var script = document.createElement("script");
    script.async = true;
    script.src = "/widget.js";
    script.dataset.contest = demo.contestId;
    // Without a token (a shop's page for visitors who are not signed in), the
    // widget shows its join form, or the participant this browser signed up.
    if (demo.token) script.dataset.token = demo.token;
    document.body.appendChild(script);
  })
  .catch(function () { /* no widget on this page */ });
