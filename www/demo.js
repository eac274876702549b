// The page's own code: it only talks to window.RocketTracker.
var show = function (id, value) { document.getElementById(id).textContent = JSON.stringify(value, null, 2); };
RocketTracker.ready(function (t) {
  document.getElementById("referral-code").textContent = t.getReferralCode() || "none";
});
document.getElementById("signup").addEventListener("submit", function (e) {
  e.preventDefault();
  RocketTracker.trackSignup(document.getElementById("signup-email").value, document.getElementById("signup-name").value || undefined)
    .then(function (r) { show("signup-result", r); });
});
document.getElementById("checkout").addEventListener("submit", function (e) {
  e.preventDefault();
  RocketTracker.trackPurchase(
    document.getElementById("checkout-order").value,
    document.getElementById("checkout-amount").value,
    "USD",
    document.getElementById("checkout-email").value
  ).then(function (r) { show("checkout-result", r); });
});
document.getElementById("add-link").addEventListener("click", function () {
  var a = document.createElement("a");
  a.id = "late-link";
  a.href = "https://buy.stripe.com/test_added_later";
  a.textContent = "A Payment Link added after load";
  document.getElementById("later").appendChild(a);
});
