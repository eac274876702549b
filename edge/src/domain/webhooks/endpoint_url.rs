//! Which endpoint URLs a webhook may be sent to: the rules that keep the Worker off
//! addresses that are not an account's to reach (SSRF). Pure.

use std::net::{Ipv4Addr, Ipv6Addr};

// ---- Endpoint URLs ----

/// The longest endpoint URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// Checks an endpoint URL and returns it with scheme and host lowercased; the Err is
/// the reason, for a 400.
///
/// Webhooks make the Worker send requests where an account says, so the rules keep
/// it off addresses that are not the account's to reach: `https://` only; no user
/// name or password (they would be sent in the clear to every receiver's logs);
/// no IP literal in a private, loopback, link-local, shared (CGNAT), multicast,
/// documentation, benchmarking or otherwise reserved range; no `localhost`. A host
/// whose last label is a number is what a WHATWG URL parser (the one `fetch` uses)
/// reads as an IPv4 address even in forms like `2130706433`, `0x7f.1` or `127.1`,
/// so such a host has to be a plain dotted quad, judged like any other address.
/// Hosts are ASCII letters, digits, `-`, `_` and `.` only, because the URL parser
/// maps percent-escapes and Unicode (full-width digits included) to other hosts, and
/// have no empty label (so no trailing dot, which `127.0.0.1.` would hide behind).
/// A name that resolves to a private address is not caught here; Cloudflare's
/// `fetch` does not reach private networks.
///
/// `allow_local` (local development) also accepts `localhost`, `*.localhost`,
/// `127.0.0.1` and `[::1]`, and `http://` to the first, third and fourth.
pub fn endpoint_url(raw: &str, allow_local: bool) -> Result<String, &'static str> {
    if raw.len() > MAX_URL_LEN {
        return Err("must be at most 2048 characters");
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters");
    }
    // A URL parser reads `\` as `/` in an http(s) URL; refused rather than mirrored.
    if raw.contains('\\') {
        return Err("must not contain a backslash");
    }
    let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(raw, "https://") {
        ("https://", rest)
    } else if let Some(rest) = strip_prefix_ignore_case(raw, "http://").filter(|_| allow_local) {
        ("http://", rest)
    } else {
        return Err("must be an https URL");
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err("must not contain a user name or password");
    }
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return Err("must have a host");
    }
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err("port is not valid");
        }
        if !matches!(port.parse::<u32>(), Ok(1..=65535)) {
            return Err("port is not valid");
        }
    }
    let host = host.to_ascii_lowercase();
    let local = allow_local && matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    if scheme == "http://" && !local {
        return Err("must be an https URL");
    }
    if !local {
        check_host(&host, allow_local)?;
    }
    Ok([scheme, &host, &authority[host.len()..], tail].concat())
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// Splits `host[:port]` or `[v6][:port]`; the host keeps its brackets.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    let host_end = if authority.starts_with('[') {
        authority.find(']').map(|i| i + 1).ok_or("host is not valid")?
    } else {
        authority.find(':').unwrap_or(authority.len())
    };
    let (host, after) = authority.split_at(host_end);
    match after.strip_prefix(':') {
        Some(port) => Ok((host, Some(port))),
        None if after.is_empty() => Ok((host, None)),
        None => Err("host is not valid"),
    }
}

/// The rules for a lowercased host that is not one of the local ones `allow_local` lets through.
fn check_host(host: &str, allow_local: bool) -> Result<(), &'static str> {
    const REFUSED_ADDRESS: &str = "must not point to a private or reserved address";
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: Ipv6Addr = inner.parse().map_err(|_| "host is not valid")?;
        return if is_public_v6(ip) { Ok(()) } else { Err(REFUSED_ADDRESS) };
    }
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.');
    if host.len() > 253 || !host.bytes().all(allowed) {
        return Err("host is not valid");
    }
    if host.split('.').any(|label| label.is_empty() || label.len() > 63) {
        return Err("host is not valid");
    }
    let last = host.rsplit('.').next().unwrap_or(host);
    if is_ipv4_number(last) {
        let ip: Ipv4Addr = host.parse().map_err(|_| "a numeric host must be a dotted IPv4 address like 203.0.113.7")?;
        return if is_public_v4(ip) { Ok(()) } else { Err(REFUSED_ADDRESS) };
    }
    if !allow_local && (host == "localhost" || host.ends_with(".localhost")) {
        return Err("must not point to localhost");
    }
    Ok(())
}

/// Whether a WHATWG URL parser reads this last label of a host as a number (decimal,
/// `0x` hex, possibly empty after the `0x`; octal is decimal digits), which makes
/// the whole host an IPv4 address to it.
fn is_ipv4_number(label: &str) -> bool {
    match label.strip_prefix("0x") {
        Some(hex) => hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// A v4 address outside every special-purpose range that is not globally reachable
/// (IANA's IPv4 Special-Purpose Address Registry).
fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0 // "this network", 0.0.0.0 included
        || a == 10 // private
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || a == 127 // loopback
        || (a == 169 && b == 254) // link-local
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF protocol assignments, TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168) // private
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224) // multicast, reserved, broadcast
}

/// A v6 address in global unicast (2000::/3) outside its special-purpose blocks; an
/// IPv4-mapped address (`::ffff:a.b.c.d`) is judged as its v4 address. Everything
/// else (loopback, unspecified, IPv4-compatible, NAT64, discard, unique local,
/// link-local, multicast) is outside 2000::/3.
fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let [s0, s1, ..] = ip.segments();
    s0 & 0xe000 == 0x2000
        && !(s0 == 0x2001 && s1 < 0x0200) // IETF protocol assignments (Teredo, benchmarking, ORCHID)
        && !(s0 == 0x2001 && s1 == 0x0db8) // documentation
        && s0 != 0x2002 // 6to4: would reach the v4 address inside
        && !(s0 == 0x3fff && s1 < 0x1000) // documentation (RFC 9637)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls_accepted() {
        let cases = [
            ("https://example.com/hooks", "https://example.com/hooks"),
            ("https://example.com", "https://example.com"),
            ("HTTPS://Hooks.Example.COM/Path/To?Token=AbC#Frag", "https://hooks.example.com/Path/To?Token=AbC#Frag"),
            ("https://example.com:8443/x", "https://example.com:8443/x"),
            ("https://my_host.example.com/x", "https://my_host.example.com/x"),
            ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
            ("https://8.8.8.8/hook", "https://8.8.8.8/hook"),
            ("https://1.2.3.4a/x", "https://1.2.3.4a/x"),
            ("https://example.com?x=1", "https://example.com?x=1"),
            ("https://[2606:4700:4700::1111]/x", "https://[2606:4700:4700::1111]/x"),
            ("https://[2606:4700:4700::ABCD]:443/x", "https://[2606:4700:4700::abcd]:443/x"),
            ("https://[::ffff:8.8.8.8]/x", "https://[::ffff:8.8.8.8]/x"),
            ("https://100.128.0.1/", "https://100.128.0.1/"),
            ("https://172.32.0.1/", "https://172.32.0.1/"),
            ("https://example.com/a%20b", "https://example.com/a%20b"),
        ];
        for (raw, normalized) in cases {
            assert_eq!(endpoint_url(raw, false), Ok(normalized.to_string()), "{raw}");
        }
    }

    #[test]
    fn endpoint_urls_refused() {
        let long = ["https://example.com/", &"a".repeat(MAX_URL_LEN)].concat();
        let cases: &[&str] = &[
            &long,
            "",
            "example.com",
            "http://example.com/",
            "ftp://example.com/",
            "https:example.com",
            "https:/example.com",
            "https:///example.com",
            "https://",
            "https://:443/x",
            "https://user:pass@example.com/",
            "https://user@example.com/",
            "https://example.com\\@127.0.0.1/",
            "https://exa mple.com/",
            "https://example.com/\n",
            " https://example.com/",
            "https://example.com\t/",
            "https://example.com:/",
            "https://example.com:0/",
            "https://example.com:65536/",
            "https://example.com:80a/",
            "https://example.com:+80/",
            "https://example..com/",
            "https://.example.com/",
            "https://example.com./",
            "https://exa%6dple.com/",
            "https://%31%32%37.0.0.1/",
            "https://bücher.example/",
            "https://１２７.０.０.１/",
            "https://example.com]/",
            "https://[::1/",
            "https://[::1]x/",
            "https://[fe80::1%25eth0]/",
            "https://[not-v6]/",
            // Loopback, private, link-local, CGNAT, unspecified, broadcast, multicast, reserved.
            "https://127.0.0.1/",
            "https://127.8.9.10/",
            "https://10.0.0.1/",
            "https://172.16.0.1/",
            "https://172.31.255.255/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://100.127.255.255/",
            "https://0.0.0.0/",
            "https://0.1.2.3/",
            "https://255.255.255.255/",
            "https://224.0.0.1/",
            "https://239.255.255.250/",
            "https://240.0.0.1/",
            "https://192.0.0.8/",
            "https://192.88.99.1/",
            // Documentation and benchmarking.
            "https://192.0.2.1/",
            "https://198.51.100.7/",
            "https://203.0.113.7/",
            "https://198.18.0.1/",
            "https://198.19.255.255/",
            // IPv4 in forms a URL parser reads as 127.0.0.1 and friends.
            "https://2130706433/",
            "https://0x7f000001/",
            "https://0x7f.1/",
            "https://0x7F.0.0.1/",
            "https://017700000001/",
            "https://0177.0.0.1/",
            "https://127.1/",
            "https://127.0.1/",
            "https://127.000.0.1/",
            "https://08.8.8.8/",
            "https://8.8.8.08/",
            "https://1.2.3.4.5/",
            "https://256.1.1.1/",
            "https://example.0x/",
            "https://example.123/",
            "https://8.8.8.8.0x8/",
            // IPv6 loopback, unspecified, ULA, link-local, multicast, mapped private v4, NAT64, 6to4, documentation.
            "https://[::1]/",
            "https://[0:0:0:0:0:0:0:1]/",
            "https://[::]/",
            "https://[fc00::1]/",
            "https://[fd12:3456::1]/",
            "https://[fe80::1]/",
            "https://[febf::1]/",
            "https://[ff02::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:7f00:1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://[::ffff:169.254.169.254]/",
            "https://[::127.0.0.1]/",
            "https://[64:ff9b::a9fe:a9fe]/",
            "https://[2002:7f00:1::]/",
            "https://[2001:db8::1]/",
            "https://[2001::1]/",
            "https://[3fff::1]/",
            "https://[100::1]/",
            // Localhost names.
            "https://localhost/",
            "https://LOCALHOST:8787/",
            "https://api.localhost/",
        ];
        for raw in cases {
            assert!(endpoint_url(raw, false).is_err(), "{raw} was accepted");
        }
    }

    #[test]
    fn refusals_give_a_reason() {
        assert_eq!(endpoint_url("http://example.com/", false), Err("must be an https URL"));
        assert_eq!(endpoint_url("https://u:p@example.com/", false), Err("must not contain a user name or password"));
        assert_eq!(endpoint_url("https://10.0.0.1/", false), Err("must not point to a private or reserved address"));
        assert_eq!(endpoint_url("https://localhost/", false), Err("must not point to localhost"));
        assert_eq!(endpoint_url("https:///x", false), Err("must have a host"));
    }

    #[test]
    fn allow_local_lets_local_development_through() {
        let accepted = [
            ("http://localhost:8787/hook", "http://localhost:8787/hook"),
            ("HTTP://LocalHost/hook", "http://localhost/hook"),
            ("http://127.0.0.1:3000/", "http://127.0.0.1:3000/"),
            ("http://[::1]:3000/", "http://[::1]:3000/"),
            ("https://localhost/", "https://localhost/"),
            ("https://api.localhost/", "https://api.localhost/"),
            ("https://example.com/", "https://example.com/"),
        ];
        for (raw, normalized) in accepted {
            assert_eq!(endpoint_url(raw, true), Ok(normalized.to_string()), "{raw}");
        }
        let refused = [
            "http://example.com/",
            "http://api.localhost/",
            "http://127.0.0.2/",
            "http://10.0.0.1/",
            "http://[0::1]/",
            "http://user@localhost/",
            "https://10.0.0.1/",
            "https://2130706433/",
            "http://localhost:99999/",
        ];
        for raw in refused {
            assert!(endpoint_url(raw, true).is_err(), "{raw} was accepted");
        }
    }
}
