//! Static files of `web/static`, compiled into the binary (listed by `build.rs`) and served
//! under versioned URLs: `/static/app.css?v=1a2b3c4d`, the version being the start of the
//! file's SHA-256. A versioned URL never changes its content, so browsers keep it a year
//! without asking again; an unversioned or stale one is revalidated through its ETag.
//! Templates name assets only through the `asset("app.css")` helper (see `views`).

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::conditional::etag_matches;
use super::extract::PagePath;
use super::{PageError, WebError};

/// Every file of `web/static` (path relative to it, bytes), listed by `build.rs`.
const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/static_files.rs"));

/// A year: the longest lifetime browsers honour.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unversioned URLs: cache, but ask again each time (answered by a 304).
const REVALIDATE: &str = "public, no-cache";

pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
    /// Hex digits of the content's SHA-256: the `v` of the URL and the ETag.
    pub version: String,
    etag: HeaderValue,
}

static ASSETS: LazyLock<HashMap<&'static str, Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, bytes)| {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(bytes);
            let version: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
            let etag = HeaderValue::from_str(&format!("\"{version}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
            let asset = Asset {
                bytes,
                content_type: content_type(name),
                version,
                etag,
            };
            (*name, asset)
        })
        .collect()
});

/// The asset at `name` (relative to `web/static`).
pub fn get(name: &str) -> Option<&'static Asset> {
    ASSETS.get(name)
}

/// The versioned URL of an asset, or None for a file that is not in `web/static`.
pub fn url(name: &str) -> Option<String> {
    get(name).map(|a| format!("/static/{name}?v={}", a.version))
}

/// The names of every asset, for tests.
#[cfg(test)]
fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(n, _)| *n)
}

fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[derive(Debug, Deserialize)]
pub struct Version {
    v: Option<String>,
}

/// `GET /static/{*path}`: the file, 304 when the browser holds it, the Chinese 404 page for
/// a file that is not there.
pub async fn serve(
    PagePath(path): PagePath<String>,
    Query(version): Query<Version>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let Some(asset) = get(&path) else {
        return Err(PageError(WebError::NotFound("要找的文件不存在".into())));
    };
    // Only the current version may be cached for good: a stale `v` (a page from before a
    // deployment) gets today's file, revalidated.
    let cache = if version.v.as_deref() == Some(asset.version.as_str()) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let common = [
        (header::ETAG, asset.etag.clone()),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
    ];
    if etag_matches(&headers, asset.etag.as_bytes()) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    let content_type = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    )];
    Ok((common, content_type, asset.bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_static_file_has_a_versioned_url_and_a_known_type() {
        let names: Vec<_> = names().collect();
        assert!(names.contains(&"app.css"), "{names:?}");
        for name in names {
            let url = url(name).expect("listed");
            assert!(url.starts_with(&format!("/static/{name}?v=")), "{url}");
            assert_ne!(
                get(name).map(|a| a.content_type),
                Some("application/octet-stream")
            );
        }
        assert_eq!(url("missing.css"), None);
        assert_eq!(content_type("x.js"), "text/javascript; charset=utf-8");
    }
}
