"""Schemathesis hooks of the contract layer (scripts/contract.sh).

Every request schemathesis sends, its auth probes included, comes from an
address of its own: a fresh `CF-Connecting-IP` (documentation prefix
2001:db8::/32, a /64 of its own, since the worker keys an IPv6 client on its
/64; the local stack takes the header as Cloudflare would set it).
The worker's per-address abuse limits (30 failed authentications a minute;
20 writes a minute per contest on the open endpoints) would otherwise turn the
run's many deliberate failures into 429s, and the checks that expect 401/403
for a missing or invalid key would report those instead of the real answer.
The limits themselves are specified in test/api/limits.spec.ts.
"""

import itertools
import threading

import requests

_counter = itertools.count(1)
_lock = threading.Lock()
_send = requests.Session.send


def _next_address() -> str:
    with _lock:
        n = next(_counter)
    return f"2001:db8:{(n >> 16) & 0xFFFF:x}:{n & 0xFFFF:x}::1"


def _send_from_own_address(self, request, **kwargs):
    # Probes go straight to the transport, past `before_call`: patch the send.
    request.headers["CF-Connecting-IP"] = _next_address()
    return _send(self, request, **kwargs)


requests.Session.send = _send_from_own_address
