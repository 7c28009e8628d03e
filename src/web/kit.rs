//! What every page handler shares: rendering, query strings, ids from paths and queries,
//! page numbers and pagers, and times shown in Beijing time.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::Value;
use serde::Serialize;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

use super::auth::Session;
use super::{PageError, WebError, views};

/// Renders a page that must not be kept. Account and admin pages show personal data and
/// one-time passwords: neither the browser nor a proxy may keep a copy.
pub fn render(
    status: StatusCode,
    name: &str,
    session: Option<&Session>,
    ctx: Value,
) -> Result<Response, PageError> {
    let html = views::page(name, session, ctx)?;
    let mut res = (status, Html(html)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// A domain error a form can show next to its fields (status and message), or the error
/// page for everything else (forbidden, missing, internal).
pub fn form_error(e: impl Into<WebError>) -> Result<(StatusCode, String), PageError> {
    match e.into() {
        WebError::BadRequest(m) | WebError::NotFound(m) => Ok((StatusCode::BAD_REQUEST, m)),
        WebError::Conflict(m) => Ok((StatusCode::CONFLICT, m)),
        other => Err(PageError(other)),
    }
}

/// `application/x-www-form-urlencoded` query string of the pairs whose value is not blank.
pub fn encode_query(params: &[(&str, &str)]) -> String {
    let kept: Vec<&(&str, &str)> = params
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// A positive id from a path or form; anything else is "not found" with `missing` (e.g.
/// 用户不存在): a malformed id names nothing, like an unknown one.
pub fn parse_id(raw: &str, missing: &str) -> Result<i64, WebError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| WebError::NotFound(missing.into()))
}

/// The answers of a check form (`_check_questions.html`): each `q` field names a question,
/// its `a-{id}` fields are the answer given (option keys, 对/错, or one text per blank).
pub fn check_answers(form: &[(String, String)]) -> Vec<(i64, Vec<String>)> {
    form.iter()
        .filter(|(k, _)| k == "q")
        .filter_map(|(_, v)| v.trim().parse::<i64>().ok())
        .map(|id| {
            let field = format!("a-{id}");
            let given = form
                .iter()
                .filter(|(k, _)| *k == field)
                .map(|(_, v)| v.clone())
                .collect();
            (id, given)
        })
        .collect()
}

/// A year from a query or form: None when empty, a 400 naming it when not a number.
pub fn year_param(raw: &str) -> Result<Option<i32>, WebError> {
    match raw.trim() {
        "" => Ok(None),
        y => y
            .parse::<i32>()
            .map(Some)
            .map_err(|_| WebError::BadRequest(format!("年份「{y}」不正确"))),
    }
}

/// Page number from a query; the first page when missing or malformed.
pub fn page_number(raw: &str) -> i64 {
    raw.trim().parse::<i64>().unwrap_or(1).clamp(1, 100_000)
}

/// Where a list stands: the page asked for, how many there are and the links either side.
/// Templates show it with `{% include "_pager.html" %}` from a `pager` value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// The last page's link when `page` is past it (an old link, a typed number): the
    /// handler redirects there instead of showing an empty page.
    #[serde(skip)]
    pub past_end: Option<String>,
}

impl Pager {
    /// `total` rows in pages of `per_page` (at least one page), with links from `url`.
    pub fn new(page: i64, total: i64, per_page: i64, url: impl Fn(i64) -> String) -> Pager {
        let per_page = per_page.max(1);
        let pages = ((total.max(0) + per_page - 1) / per_page).max(1);
        Pager {
            page,
            pages,
            prev_url: (page > 1).then(|| url((page - 1).min(pages))),
            next_url: (page < pages).then(|| url(page + 1)),
            past_end: (page > pages).then(|| url(pages)),
        }
    }
}

impl From<Pager> for Value {
    fn from(p: Pager) -> Value {
        Value::from(minijinja::value::Serde(&p))
    }
}

/// Beijing is UTC+8 all year.
fn beijing() -> UtcOffset {
    UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// Unix seconds as Beijing time, `YYYY-MM-DD HH:MM:SS`.
pub fn beijing_time(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.to_offset(beijing()))
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// Midnight, Beijing time, of a `YYYY-MM-DD` date, as unix seconds.
pub fn beijing_midnight(raw: &str) -> Option<i64> {
    let date = Date::parse(raw.trim(), format_description!("[year]-[month]-[day]")).ok()?;
    Some(date.midnight().assume_offset(beijing()).unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_beijing_time() {
        assert_eq!(beijing_time(0), "1970-01-01 08:00:00");
        assert_eq!(beijing_time(1_767_225_600), "2026-01-01 08:00:00");
        assert_eq!(beijing_midnight("2026-01-01"), Some(1_767_196_800));
        assert_eq!(beijing_midnight("2026-13-01"), None);
        assert_eq!(beijing_midnight("昨天"), None);
    }

    #[test]
    fn pagers_round_up_link_both_ways_and_send_past_the_end_to_the_last_page() {
        let url = |p: i64| format!("/x?page={p}");
        let first = Pager::new(1, 0, 50, url);
        assert_eq!(
            (first.pages, first.prev_url, first.next_url),
            (1, None, None)
        );
        let mid = Pager::new(2, 101, 50, url);
        assert_eq!(mid.pages, 3);
        assert_eq!(mid.prev_url.as_deref(), Some("/x?page=1"));
        assert_eq!(mid.next_url.as_deref(), Some("/x?page=3"));
        assert_eq!(mid.past_end, None);
        assert_eq!(
            Pager::new(9, 100, 50, url).past_end.as_deref(),
            Some("/x?page=2")
        );
    }

    #[test]
    fn ids_and_page_numbers_from_user_input() {
        assert_eq!(parse_id(" 42 ", "无").ok(), Some(42));
        for bad in ["0", "-3", "abc", "", "99999999999999999999"] {
            assert!(
                matches!(parse_id(bad, "无"), Err(WebError::NotFound(_))),
                "{bad}"
            );
        }
        assert_eq!(page_number(""), 1);
        assert_eq!(page_number("-5"), 1);
        assert_eq!(page_number("7"), 7);
        assert_eq!(page_number("9999999"), 100_000);
    }

    #[test]
    fn query_strings_drop_blank_values() {
        assert_eq!(
            encode_query(&[("q", "信访 期限"), ("law", " "), ("page", "2")]),
            "q=%E4%BF%A1%E8%AE%BF+%E6%9C%9F%E9%99%90&page=2"
        );
    }
}
