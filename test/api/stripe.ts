// Stripe's side of the webhook tests: events shaped as Stripe sends them, signed
// by Stripe's own library (its real scheme), so the worker's check is the real one.
import Stripe from "stripe";

/** A `Stripe-Signature` header for `payload`. */
export function stripeSignature(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    timestamp,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
}

/** A Stripe event of `type` carrying `object`. */
export function stripeEvent(type: string, object: Record<string, unknown>) {
  return JSON.stringify({ id: `evt_${crypto.randomUUID().slice(0, 8)}`, object: "event", type, data: { object } });
}

/** A paid `checkout.session.completed` of 49.99 USD by buyer@example.com, `session` overriding. */
export function checkoutCompleted(session: Record<string, unknown>) {
  return stripeEvent("checkout.session.completed", {
    id: `cs_test_${crypto.randomUUID().slice(0, 12)}`,
    object: "checkout.session",
    amount_total: 4999,
    currency: "usd",
    payment_status: "paid",
    customer_details: { email: "buyer@example.com" },
    ...session,
  });
}
