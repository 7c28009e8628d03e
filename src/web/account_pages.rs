//! The account pages: signing in and out, one's profile, changing one's password. Also the
//! small helpers the administration pages (`admin_pages`) share with them.

use axum::Form;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use minijinja::context;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::accounts_api::{sign_in, sign_out};
use super::auth::{
    ClientIp, CurrentUser, MaybeUser, Session, constant_time_eq, expired_session_cookie,
    session_cookie,
};
use super::kit::{encode_query, form_error, render};
use super::{AppState, PageError, WebError};
use crate::accounts::login::{self, Origin};
use crate::accounts::session::random_token;
use crate::db::commit_if_ok;

/// The login form has no session yet, so no session CSRF token: it is guarded by a
/// double-submit cookie instead. A cross-site page can make a browser post the form but can
/// neither read nor set this cookie (SameSite=Strict, HttpOnly), so it cannot echo its value.
const LOGIN_CSRF_COOKIE: &str = "xuefa_login_csrf";
/// Long enough to type a password on a phone, short enough not to linger.
const LOGIN_CSRF_MINUTES: i64 = 60;

/// A page form. A body that is not a form at all reads as an empty form (the CSRF layer
/// has already refused it from a signed-in browser) instead of getting a bare-text
/// rejection; too large is 413.
pub(super) struct PageForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, PageError> {
        match Form::<T>::from_request(req, state).await {
            Ok(Form(t)) => Ok(PageForm(t)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(PageError(
                WebError::PayloadTooLarge("提交的内容太大".into()),
            )),
            Err(_) => Ok(PageForm(T::default())),
        }
    }
}

/// Where to go after signing in: a local path only. `//host` and `/\host` are other sites
/// to a browser, so they are refused along with absolute URLs (open-redirect guard).
pub(super) fn safe_next(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    local.then_some(next)
}

fn login_csrf_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((LOGIN_CSRF_COOKIE, value))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(time::Duration::minutes(LOGIN_CSRF_MINUTES))
        .build()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
}

/// The login form. The double-submit token is reused while its cookie lives, so two open
/// login tabs both work.
pub async fn login_form(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    jar: CookieJar,
    Query(q): Query<LoginQuery>,
) -> Result<Response, PageError> {
    let token = jar
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(random_token);
    let jar = jar.add(login_csrf_cookie(
        token.clone(),
        state.app.config.secure_cookies,
    ));
    let page = login_page(StatusCode::OK, me.as_ref(), &token, &q.next, "", None)?;
    Ok((jar, page).into_response())
}

fn login_page(
    status: StatusCode,
    me: Option<&Session>,
    csrf_token: &str,
    next: &str,
    username: &str,
    error: Option<String>,
) -> Result<Response, PageError> {
    let next = safe_next(next).unwrap_or("");
    let ctx = context! { csrf_token, next, username, error };
    render(status, "login.html", me, ctx)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf_token: String,
    next: String,
}

/// Signs in and redirects: to the password change when one is due, else to `next`.
/// Failures re-render the form with the same message whether or not the user exists.
pub async fn login_submit(
    State(state): State<AppState>,
    MaybeUser(old): MaybeUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    PageForm(f): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    let secure = state.app.config.secure_cookies;
    let cookie = jar
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if cookie.is_empty() || !constant_time_eq(cookie.as_bytes(), f.csrf_token.as_bytes()) {
        let token = random_token();
        let jar = jar.add(login_csrf_cookie(token.clone(), secure));
        let error = Some("页面已过期，请重新输入用户名和密码后登录".to_string());
        let page = login_page(
            StatusCode::FORBIDDEN,
            old.as_ref(),
            &token,
            &f.next,
            &f.username,
            error,
        )?;
        return Ok((jar, page).into_response());
    }
    match sign_in(&state, old, &ip, &f.username, &f.password).await {
        Ok(session) => {
            let to = if session.actor.must_change_password {
                match safe_next(&f.next).filter(|n| *n != "/") {
                    Some(n) => format!("/me/password?{}", encode_query(&[("next", n)])),
                    None => "/me/password".to_string(),
                }
            } else {
                safe_next(&f.next).unwrap_or("/").to_string()
            };
            let jar = jar
                .add(session_cookie(session.token, secure))
                .remove(Cookie::build((LOGIN_CSRF_COOKIE, "")).path("/login"));
            Ok((jar, Redirect::to(&to)).into_response())
        }
        Err(
            e @ (WebError::Unauthorized(_)
            | WebError::Locked(_)
            | WebError::TooManyRequests(_)
            | WebError::BadRequest(_)),
        ) => {
            let status = match e {
                WebError::Locked(_) => StatusCode::LOCKED,
                WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
                WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNAUTHORIZED,
            };
            // Any earlier session of this browser has ended: show the page signed out.
            login_page(
                status,
                None,
                &cookie,
                &f.next,
                &f.username,
                Some(e.to_string()),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// Ends the session and clears the cookie. Without a session there is nothing to end.
pub async fn logout(
    State(state): State<AppState>,
    MaybeUser(session): MaybeUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
) -> Result<Response, PageError> {
    sign_out(&state, session, &ip).await?;
    let jar = jar.add(expired_session_cookie(state.app.config.secure_cookies));
    Ok((jar, Redirect::to("/")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MeQuery {
    changed: String,
}

/// The signed-in user's profile.
pub async fn me(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<MeQuery>,
) -> Result<Response, PageError> {
    let expiring = super::certificate_pages::expiring_soon(&state, s.actor.user_id).await?;
    let a = &s.actor;
    let now = state.app.clock.now();
    let practice =
        crate::practice::daily_summary(&mut *state.app.db.read().await?, a.user_id, now).await?;
    let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
    let year = crate::learning::year_of(now);
    let progress = super::study_api::progress_of(&state, a, year).await?;
    let ctx = context! {
        user => context! {
            username => a.username.clone(),
            name => a.name.clone(),
            unit => a.unit.clone(),
            roles => roles.join("、"),
        },
        changed => q.changed == "1",
        expiring,
        practice => minijinja::value::Value::from(minijinja::value::Serde(&practice)),
        progress => minijinja::value::Value::from(minijinja::value::Serde(&progress)),
    };
    render(StatusCode::OK, "me.html", Some(&s), ctx)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordQuery {
    next: String,
}

pub async fn password_form(
    CurrentUser(s): CurrentUser,
    Query(q): Query<PasswordQuery>,
) -> Result<Response, PageError> {
    password_page(StatusCode::OK, &s, &q.next, None)
}

fn password_page(
    status: StatusCode,
    s: &Session,
    next: &str,
    error: Option<String>,
) -> Result<Response, PageError> {
    let ctx = context! {
        forced => s.actor.must_change_password,
        next => safe_next(next).unwrap_or(""),
        min_length => crate::accounts::password::MIN_LENGTH,
        error,
    };
    render(status, "password.html", Some(s), ctx)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    old_password: String,
    new_password: String,
    confirm_password: String,
    next: String,
}

/// Changes one's own password; then on to `next`, or the profile with a notice.
pub async fn password_submit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    PageForm(f): PageForm<PasswordForm>,
) -> Result<Response, PageError> {
    if f.new_password != f.confirm_password {
        let error = Some("两次输入的新密码不一致".to_string());
        return password_page(StatusCode::BAD_REQUEST, &s, &f.next, error);
    }
    let app = &state.app;
    let origin = Origin { ip: &ip };
    let change = login::NewPassword {
        old: &f.old_password,
        new: &f.new_password,
    };
    let changed = async {
        let checked =
            login::CheckedChange::new(&app.db.pool, app.config.hash_cost, &s.actor, change).await?;
        let mut tx = app.db.write().await?;
        let changed = login::change_password(
            &mut tx,
            &s.actor,
            &s.token,
            checked,
            origin,
            app.clock.now(),
        )
        .await;
        commit_if_ok(tx, changed).await
    }
    .await;
    if let Err(e) = changed {
        let (status, message) = form_error(e)?;
        return password_page(status, &s, &f.next, Some(message));
    }
    let to = safe_next(&f.next)
        .filter(|n| *n != "/")
        .unwrap_or("/me?changed=1");
    Ok(Redirect::to(to).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/laws?category=x"), Some("/laws?category=x"));
        assert_eq!(safe_next("//evil.com"), None);
        assert_eq!(safe_next("/\\evil.com"), None);
        assert_eq!(safe_next("https://evil.com"), None);
        assert_eq!(safe_next(""), None);
        assert_eq!(safe_next("/a\nb"), None);
    }
}
