//! Conditional and compressed responses, shared by the cached pages and the static files:
//! `If-None-Match`, `If-Modified-Since`, `Accept-Encoding: gzip` and HTTP dates.

use axum::http::{HeaderMap, HeaderValue, header};

/// Whether `If-None-Match` names `etag` (or `*`), weak or strong.
pub fn etag_matches(headers: &HeaderMap, etag: &[u8]) -> bool {
    let etag = strip_weak(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .map(|t| t.trim_ascii())
        .any(|t| t == b"*" || strip_weak(t) == etag)
}

fn strip_weak(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

/// Whether the browser takes gzip (`gzip`, `*`, not refused with `q=0`).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut it = coding.split(';');
            let name = it.next().unwrap_or("").trim();
            let refused = it.any(|q| matches!(q.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// Whether `If-Modified-Since` is at or after `last_modified`.
pub fn not_modified_since(headers: &HeaderMap, last_modified: Option<&HeaderValue>) -> bool {
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    let modified = last_modified
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    matches!((since, modified), (Some(s), Some(m)) if m <= s)
}

/// An RFC 3339 time as an HTTP date (`Tue, 01 Dec 2026 08:00:00 GMT`).
pub fn http_date(rfc3339: &str) -> Option<String> {
    let t = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()?;
    Some(httpdate::fmt_http_date(t.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_matches_weak_strong_lists_and_star() {
        let mut h = HeaderMap::new();
        let tag = b"\"abc\"";
        assert!(!etag_matches(&h, tag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert!(etag_matches(&h, tag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(etag_matches(&h, tag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"abcd\""));
        assert!(!etag_matches(&h, tag));
    }

    #[test]
    fn gzip_is_sent_only_when_the_browser_takes_it() {
        let mut h = HeaderMap::new();
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip;q=0.8"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0, identity"),
        );
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("identity"),
        );
        assert!(!accepts_gzip(&h));
    }

    #[test]
    fn if_modified_since_compares_http_dates() {
        let lm = HeaderValue::from_static("Tue, 01 Dec 2026 08:00:00 GMT");
        let mut h = HeaderMap::new();
        assert!(!not_modified_since(&h, Some(&lm)));
        h.insert(header::IF_MODIFIED_SINCE, lm.clone());
        assert!(not_modified_since(&h, Some(&lm)));
        h.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Mon, 30 Nov 2026 08:00:00 GMT"),
        );
        assert!(!not_modified_since(&h, Some(&lm)));
        assert_eq!(
            http_date("2026-12-01T08:00:00Z").as_deref(),
            Some("Tue, 01 Dec 2026 08:00:00 GMT")
        );
    }
}
