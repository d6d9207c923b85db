//! Strict IPv4 CIDR parsing for firewall rules (promise P6). Written by hand because the
//! common parsers are lenient where an operator's typo matters: ipnet accepts leading zeros
//! (`010.0.0.1` is octal to some tools, decimal to others), and a host address with a prefix
//! (`203.0.113.7/24`) is silently a different network than the one typed.
//!
//! Accepted: four decimal octets 0-255 without leading zeros, then optionally `/` and a prefix
//! 0-32 without leading zeros. Nothing else: no spaces, no signs, no IPv6.

use std::fmt;
use std::net::Ipv4Addr;

/// A network in canonical form: no host bits set. Its `Display` is what the API receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ipv4Cidr {
    network: Ipv4Addr,
    prefix: u8,
}

/// What the operator typed, parsed: the address may have host bits, the prefix may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypedCidr {
    pub address: Ipv4Addr,
    /// `None` for a bare address.
    pub prefix: Option<u8>,
}

impl Ipv4Cidr {
    /// The network `address/prefix` belongs to (host bits cleared). `prefix` must be ≤ 32.
    pub fn new(address: Ipv4Addr, prefix: u8) -> Ipv4Cidr {
        assert!(prefix <= 32, "an IPv4 prefix is at most 32");
        Ipv4Cidr { network: Ipv4Addr::from(u32::from(address) & mask(prefix)), prefix }
    }

    pub fn network(&self) -> Ipv4Addr {
        self.network
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// `0.0.0.0/0`: every address, i.e. no filtering at all.
    pub fn is_everything(&self) -> bool {
        self.prefix == 0
    }

    /// Parses a rule as the API stores it; only canonical text is accepted.
    pub fn parse_canonical(text: &str) -> Result<Ipv4Cidr, String> {
        let typed = TypedCidr::parse(text)?;
        match typed.prefix {
            Some(_) if typed.is_canonical() => Ok(typed.network()),
            Some(_) => Err(format!("{text} has host bits set: the network is {}", typed.network())),
            None => Err(format!("{text} has no prefix: write {text}/32 for one address")),
        }
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl TypedCidr {
    /// Parses strictly; the error says what is wrong, for the operator.
    pub fn parse(text: &str) -> Result<TypedCidr, String> {
        if text.is_empty() {
            return Err("a CIDR is required, like 203.0.113.0/24".into());
        }
        if text.contains(':') {
            return Err("IPv6 is not supported: firewall rules take IPv4 CIDRs".into());
        }
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let octets: Vec<&str> = address.split('.').collect();
        if octets.len() != 4 {
            return Err(format!("{address} is not an IPv4 address: four numbers 0-255 joined by dots"));
        }
        let mut bytes = [0u8; 4];
        for (byte, octet) in bytes.iter_mut().zip(&octets) {
            *byte = u8::try_from(decimal(octet, "an address part", 255)?).expect("checked ≤ 255");
        }
        let prefix = match prefix {
            Some(p) => Some(u8::try_from(decimal(p, "the prefix", 32)?).expect("checked ≤ 32")),
            None => None,
        };
        Ok(TypedCidr { address: Ipv4Addr::from(bytes), prefix })
    }

    /// The network this denotes: a bare address is its own `/32`.
    pub fn network(&self) -> Ipv4Cidr {
        Ipv4Cidr::new(self.address, self.prefix.unwrap_or(32))
    }

    /// True when it was typed with a prefix and without host bits: nothing to confirm.
    pub fn is_canonical(&self) -> bool {
        self.prefix.is_some() && self.network().network == self.address
    }
}

/// A decimal number without sign or leading zero, at most `max`.
fn decimal(text: &str, what: &str, max: u32) -> Result<u32, String> {
    if text.is_empty() {
        return Err(format!("{what} is missing"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} \"{text}\" is not a decimal number"));
    }
    if text.len() > 1 && text.starts_with('0') {
        return Err(format!("{what} \"{text}\" has a leading zero (octal or decimal? write it without)"));
    }
    match text.parse::<u32>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("{what} {text} is over {max}")),
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix)) }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn canonical_host_bits_and_bare_addresses() {
        let typed = TypedCidr::parse("203.0.113.7/24").unwrap();
        assert!(!typed.is_canonical());
        assert_eq!(typed.network().to_string(), "203.0.113.0/24");
        let bare = TypedCidr::parse("203.0.113.7").unwrap();
        assert_eq!(bare.prefix, None);
        assert!(!bare.is_canonical());
        assert_eq!(bare.network().to_string(), "203.0.113.7/32");
        let exact = TypedCidr::parse("10.0.0.0/8").unwrap();
        assert!(exact.is_canonical());
        assert!(TypedCidr::parse("0.0.0.0/0").unwrap().network().is_everything());
        assert_eq!(TypedCidr::parse("1.2.3.4/0").unwrap().network().to_string(), "0.0.0.0/0");
        assert_eq!(TypedCidr::parse("255.255.255.255/32").unwrap().network().prefix(), 32);
        assert!(Ipv4Cidr::parse_canonical("203.0.113.7/24").unwrap_err().contains("203.0.113.0/24"));
        assert!(Ipv4Cidr::parse_canonical("203.0.113.7").is_err());
    }

    #[test]
    fn rejects_what_is_ambiguous_or_wrong() {
        for bad in [
            "",
            "010.0.0.1/8",
            "10.0.0.1/08",
            "256.0.0.0/8",
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "10.0.0.0/",
            "/8",
            "10..0.0/8",
            " 10.0.0.0/8",
            "10.0.0.0/8 ",
            "+1.0.0.0/8",
            "1.0.0.0/+8",
            "::/0",
            "2001:db8::/32",
            "a.b.c.d/8",
            "1.2.3.4/8/8",
            "１.2.3.4/8",
            "99999999999.0.0.0/8",
        ] {
            assert!(TypedCidr::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(TypedCidr::parse("010.0.0.1/8").unwrap_err().contains("leading zero"));
        assert!(TypedCidr::parse("10.0.0.0/33").unwrap_err().contains("over 32"));
        assert!(TypedCidr::parse("::/0").unwrap_err().contains("IPv6"));
    }

    proptest! {
        #[test]
        fn display_then_parse_is_stable(bits in any::<u32>(), prefix in 0u8..=32) {
            let cidr = Ipv4Cidr::new(Ipv4Addr::from(bits), prefix);
            let text = cidr.to_string();
            let typed = TypedCidr::parse(&text).unwrap();
            prop_assert!(typed.is_canonical());
            prop_assert_eq!(typed.network(), cidr);
            prop_assert_eq!(Ipv4Cidr::parse_canonical(&text), Ok(cidr));
            // Canonicalising a host address gives the same network, whose text is stable.
            let host = TypedCidr::parse(&format!("{}/{prefix}", Ipv4Addr::from(bits))).unwrap();
            prop_assert_eq!(host.network(), cidr);
        }

        #[test]
        fn leading_zeros_are_refused(octets in any::<[u8; 4]>(), at in 0usize..4, prefix in 0u8..=32) {
            let mut parts: Vec<String> = octets.iter().map(u8::to_string).collect();
            parts[at] = format!("0{}", parts[at]);
            let text = format!("{}/{prefix}", parts.join("."));
            prop_assert!(TypedCidr::parse(&text).is_err(), "{}", text);
        }

        #[test]
        fn out_of_range_numbers_are_refused(octet in 256u32..100_000, prefix in 33u32..100_000, at in 0usize..4) {
            let mut parts = vec!["10".to_owned(); 4];
            parts[at] = octet.to_string();
            let address = format!("{}/8", parts.join("."));
            prop_assert!(TypedCidr::parse(&address).is_err(), "{}", address);
            let network = format!("10.0.0.0/{prefix}");
            prop_assert!(TypedCidr::parse(&network).is_err(), "{}", network);
        }

        #[test]
        fn junk_never_panics_and_what_passes_round_trips(text in "\\PC{0,24}|[0-9./]{0,20}") {
            if let Ok(typed) = TypedCidr::parse(&text) {
                // Whatever is accepted is exactly an address (and prefix) as std prints it.
                let printed = match typed.prefix {
                    Some(p) => format!("{}/{p}", typed.address),
                    None => typed.address.to_string(),
                };
                prop_assert_eq!(printed, text);
            }
        }
    }
}
