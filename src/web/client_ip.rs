//! The client's address, for the audit log and per-address throttling: the TCP peer, or,
//! when the peer is a configured trusted proxy (`--trusted-proxy`), the right-most address of
//! `X-Forwarded-For` that is not itself a trusted proxy. Anything left of that was written
//! by the client and proves nothing, so a spoofed header from an untrusted peer is ignored.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use super::AppState;
use crate::config::Cidr;

/// The client's address (未知 when the request did not come over a socket, e.g. in tests).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let trusted = &state.app.config.trusted_proxies;
        let ip = peer.map_or_else(
            || "未知".to_string(),
            |peer| client_address(peer, &parts.headers, trusted).to_string(),
        );
        Ok(ClientIp(ip))
    }
}

/// The client behind `peer`: see the module docs.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    // Every X-Forwarded-For line, in order, as one chain: client, proxy1, proxy2, …
    let chain: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    let mut nearest = peer;
    for hop in chain.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // Not an address: whoever wrote it is not to be believed; the last trusted hop is
            // the best we know.
            return nearest;
        };
        if !is_trusted(ip) {
            return ip;
        }
        nearest = ip;
    }
    nearest
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn a_spoofed_header_from_an_untrusted_peer_is_ignored() {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap()];
        let h = xff(&["1.2.3.4"]);
        assert_eq!(
            client_address(ip("203.0.113.9"), &h, &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("203.0.113.9"), &h, &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_address_is_the_client() {
        let trusted: Vec<Cidr> = vec![
            "10.0.0.0/8".parse().unwrap(),
            "192.168.1.1".parse().unwrap(),
        ];
        // The client claims 6.6.6.6; the first proxy saw 198.51.100.7; the second proxy 10.0.0.2.
        let h = xff(&["6.6.6.6, 198.51.100.7", "10.0.0.2"]);
        assert_eq!(
            client_address(ip("192.168.1.1"), &h, &trusted),
            ip("198.51.100.7")
        );
        // No header: the proxy itself.
        assert_eq!(
            client_address(ip("10.0.0.3"), &HeaderMap::new(), &trusted),
            ip("10.0.0.3")
        );
        // Garbage in the chain stops the walk at the last trusted hop.
        let h = xff(&["198.51.100.7, evil, 10.0.0.2"]);
        assert_eq!(client_address(ip("10.0.0.3"), &h, &trusted), ip("10.0.0.2"));
        // Every hop trusted: the left-most.
        let h = xff(&["10.9.9.9, 10.0.0.2"]);
        assert_eq!(client_address(ip("10.0.0.3"), &h, &trusted), ip("10.9.9.9"));
    }
}
