//! Sign in and sign out.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::service::auth::Client;
use crate::service::{self, ServiceError};
use crate::web::error::WebError;
use crate::web::page::{redirect, render, PageCtx};
use crate::web::{client_addr, AppState};

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage {
    ctx: PageCtx,
    username: String,
    next: String,
    error: String,
}

#[derive(serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path of this site may be a redirect target: it starts with one `/` (not `//host`, not
/// a scheme) and holds printable ASCII only. A browser drops tabs and line breaks from a URL
/// (so `/\t/evil.example` is `//evil.example`), reads `\` as `/`, and a control character
/// cannot go into a `Location` header at all; a real path is percent-encoded, so it loses
/// nothing. Anything else goes to the dashboard.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() < 2000
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

pub async fn form(ctx: PageCtx, query: web::Query<NextQuery>) -> Result<HttpResponse, WebError> {
    let next = safe_next(query.next.as_deref());
    if ctx.user.is_some() {
        return Ok(redirect(&next, None));
    }
    let page = LoginPage {
        ctx: ctx.clone(),
        username: String::new(),
        next,
        error: String::new(),
    };
    render(StatusCode::OK, &ctx, &page)
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: PageCtx,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let client = Client {
        addr: client_addr(&req, state.settings.trust_proxy),
        user_agent: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(200).collect()),
    };
    let cookie_name = state.settings.session_cookie();
    let previous = req.cookie(cookie_name).map(|c| c.value().to_string());
    let (db, settings) = (state.db.clone(), state.settings.clone());
    let (username, password) = (form.username.clone(), form.password);
    let result = web::block(move || {
        let session = service::auth::login(&db, &settings, &username, &password, &client)?;
        // Rotate: whatever session the browser had before is gone.
        if let Some(old) = previous {
            let mut conn = db.conn()?;
            service::auth::logout(&mut conn, &old)?;
        }
        Ok::<_, ServiceError>(session)
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?;

    let refused = |status: StatusCode, message: String| {
        let page = LoginPage {
            ctx: ctx.clone(),
            username: form.username.chars().take(64).collect(),
            next: next.clone(),
            error: message,
        };
        render(status, &ctx, &page)
    };
    match result {
        Ok(session) => {
            let cookie = Cookie::build(cookie_name, session.token)
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(state.settings.secure_cookies)
                .finish();
            let mut res = redirect(&next, None);
            res.add_cookie(&cookie)
                .map_err(|e| WebError::Internal(e.to_string()))?;
            Ok(res)
        }
        Err(ServiceError::BadCredentials) => refused(
            StatusCode::UNAUTHORIZED,
            "Incorrect user name or password.".into(),
        ),
        Err(ServiceError::Throttled { retry_after_secs }) => {
            let minutes = (retry_after_secs + 59) / 60;
            let message = format!("Too many failed sign-ins. Try again in {minutes} minute(s).");
            let mut res = refused(StatusCode::TOO_MANY_REQUESTS, message)?;
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(retry_after_secs),
            );
            Ok(res)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let cookie_name = state.settings.session_cookie();
    if let Some(token) = req.cookie(cookie_name).map(|c| c.value().to_string()) {
        state
            .db
            .run(move |conn| service::auth::logout(conn, &token))
            .await?;
    }
    let mut res = redirect("/login", Some(("ok", "You have signed out.")));
    let mut gone = Cookie::build(cookie_name, "").path("/").finish();
    gone.make_removal();
    res.add_cookie(&gone)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_of_this_site_are_redirect_targets() {
        for kept in [
            "/",
            "/cases?q=mine&state=lead",
            "/cases/12#attachments",
            "/%2F%2Fx",
        ] {
            assert_eq!(safe_next(Some(kept)), kept);
        }
        for refused in [
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\u{7f}x",
            "/\u{1b}[31m",
            "/\u{202E}lim",
            "/caf\u{e9}",
            "/a b",
            "",
        ] {
            assert_eq!(safe_next(Some(refused)), "/", "{refused:?}");
        }
        assert_eq!(safe_next(Some(&format!("/{}", "x".repeat(3000)))), "/");
        assert_eq!(safe_next(None), "/");
    }
}
