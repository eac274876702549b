//! Which client an address is, for limits and address signals: an IPv4
//! address is one client, an IPv6 one is its /64 (one subscriber's network:
//! a host picks any of its 2^64 interface ids at will, so keying on the whole
//! address would let it rotate past every limit).

use std::net::IpAddr;

/// The client an address (`CF-Connecting-IP`) stands for: an IPv4 address
/// as is, an IPv6 address as its /64 prefix (`2001:db8:1:2::/64`), an
/// IPv4-mapped IPv6 address as its IPv4 address. Anything that does not
/// parse is kept as given (trimmed), so it still keys only itself.
pub fn client_key(address: &str) -> String {
    let address = address.trim();
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                [prefix.to_string().as_str(), "/64"].concat()
            }
        },
        Err(_) => address.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::client_key;

    #[test]
    fn ipv4_is_the_whole_address() {
        assert_eq!(client_key("203.0.113.9"), "203.0.113.9");
        assert_ne!(client_key("203.0.113.9"), client_key("203.0.113.10"));
    }

    #[test]
    fn ipv6_is_its_slash_64() {
        let a = client_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, client_key("2001:0db8:0001:0002::1"));
        assert_eq!(a, client_key("2001:DB8:1:2:ffff:ffff:ffff:ffff"));
        assert_ne!(a, client_key("2001:db8:1:3::1"));
        assert_eq!(client_key("::1"), "::/64");
    }

    #[test]
    fn ipv4_mapped_ipv6_is_the_ipv4_address() {
        assert_eq!(client_key("::ffff:203.0.113.9"), "203.0.113.9");
    }

    #[test]
    fn anything_else_is_kept_as_given() {
        assert_eq!(client_key(""), "");
        assert_eq!(client_key(" not-an-ip "), "not-an-ip");
        // A zone or port is not an address: it keys only itself.
        assert_eq!(client_key("[2001:db8::1]:443"), "[2001:db8::1]:443");
    }
}
