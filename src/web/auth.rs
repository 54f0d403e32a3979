//! Who is asking, and whether they may: the identity middleware (session cookie or bearer
//! token, plus the CSRF check), the per-route role guard, and the `CurrentUser` extractor.

use std::future::{ready, Ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use super::error::WebError;
use super::page::PageCtx;
use super::state::AppState;
use crate::domain::Role;
use crate::service::auth::Principal;
use crate::service::secrets::{random_token, same_secret};
use crate::service::{self, ServiceError};

/// The cookie that carries the CSRF token of a visitor who has not signed in (login, tip).
pub const ANON_CSRF_COOKIE: &str = "cordon_csrf";

/// The least a route requires. Every route in `web::configure` states one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in user with at least this role.
    Role(Role),
}

/// The CSRF token that forms on this page must carry (the session's, or the anonymous one).
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// Whether a request is for the JSON API (bearer tokens, JSON errors, no CSRF).
pub fn is_api(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/")
}

fn bearer(req: &ServiceRequest) -> Option<String> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The refusal of a request whose path, query or form holds a NUL character: no text Cordon
/// keeps may hold one (PostgreSQL's text cannot), and no form has a reason to send one.
fn nul_refusal(api: bool) -> WebError {
    WebError::BadRequest {
        message: "The request holds a NUL character (%00), which no field accepts. Nothing was \
                  changed; remove it and try again."
            .into(),
        api,
    }
}

/// Whether percent-encoded text (a path, a query string or a form body) decodes to a NUL
/// character. Decoding is one pass, so `%00` is the only way to write one.
fn encodes_nul(text: &[u8]) -> bool {
    text.windows(3).any(|w| w == b"%00")
}

/// Refuses a path or query string that holds a NUL character, before anything reads them.
fn refuse_nul(req: &ServiceRequest) -> Result<(), WebError> {
    if encodes_nul(req.path().as_bytes()) || encodes_nul(req.query_string().as_bytes()) {
        return Err(nul_refusal(is_api(req.path())));
    }
    Ok(())
}

/// The url-encoded body of a form post (read within the configured limit and put back for the
/// handler), or `None` for any other body.
async fn form_body(req: &mut ServiceRequest) -> Result<Option<web::Bytes>, WebError> {
    if req.content_type() != "application/x-www-form-urlencoded" {
        return Ok(None);
    }
    let body = req
        .extract::<web::Bytes>()
        .await
        .map_err(|_| WebError::TooLarge { api: false })?;
    req.set_payload(Payload::from(body.clone()));
    Ok(Some(body))
}

/// The token a form or script sent: header, query string, or url-encoded body field. A form
/// body that holds a NUL character is refused here, whichever way the token came.
async fn submitted_csrf(req: &mut ServiceRequest) -> Result<Option<String>, WebError> {
    let body = form_body(req).await?;
    if let Some(body) = &body {
        if body.contains(&0) || encodes_nul(body) {
            return Err(nul_refusal(false));
        }
    }
    if let Some(v) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Ok(Some(v.to_string()));
    }
    let from_query = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.into_owned());
    if from_query.is_some() {
        return Ok(from_query);
    }
    Ok(body.and_then(|body| {
        url::form_urlencoded::parse(&body)
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.into_owned())
    }))
}

/// A cross-site `Origin` (a browser tells us where the form came from) is refused outright.
fn origin_ok(req: &ServiceRequest) -> bool {
    let Some(origin) = req.headers().get(actix_web::http::header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let host = req.connection_info().host().to_string();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(&host))
}

/// Resolves the principal, enforces CSRF on every state-changing HTML request, and hands an
/// anonymous visitor a CSRF cookie. Runs on every request.
pub async fn identity<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(req
            .error_response(WebError::Internal("application state missing".into()))
            .map_into_right_body());
    };
    match resolve(&state, &mut req).await {
        Ok(new_anon_cookie) => {
            let res = next.call(req).await?;
            // Error pages get the same header as every page: who is signed in, the navigation.
            let page = res
                .response()
                .error()
                .and_then(|e| e.as_error::<WebError>())
                .filter(|e| e.is_page());
            if let Some(err) = page {
                let ctx = PageCtx::of(res.request());
                let rendered = err.respond(ctx);
                return Ok(res.into_response(rendered).map_into_right_body());
            }
            let mut res = res;
            let is_html = res
                .headers()
                .get(actix_web::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if let (Some(token), true) = (new_anon_cookie, is_html) {
                let cookie = Cookie::build(ANON_CSRF_COOKIE, token)
                    .path("/")
                    .http_only(true)
                    .same_site(SameSite::Strict)
                    .secure(state.settings.secure_cookies)
                    .finish();
                res.response_mut().add_cookie(&cookie)?;
            }
            Ok(res.map_into_left_body())
        }
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}

/// Puts the principal and the page's CSRF token in the request, or refuses it. Returns a new
/// anonymous CSRF token when the visitor needs a cookie for it.
async fn resolve(state: &AppState, req: &mut ServiceRequest) -> Result<Option<String>, WebError> {
    refuse_nul(req)?;
    let mut new_anon_cookie = None;
    if is_api(req.path()) {
        if let Some(token) = bearer(req) {
            let principal = state
                .db
                .run(move |conn| service::auth::resolve_api_token(conn, &token))
                .await
                .map_err(|e| WebError::from_service(e, true))?;
            if let Some(p) = principal {
                req.extensions_mut().insert(p);
            }
        }
        Ok(None)
    } else {
        let cookie = req
            .cookie(state.settings.session_cookie())
            .map(|c| c.value().to_string());
        let principal = match cookie {
            Some(token) => {
                let settings = state.settings.clone();
                state
                    .db
                    .run(move |conn| service::auth::resolve_session(conn, &settings, &token))
                    .await
                    .map_err(WebError::from)?
            }
            None => None,
        };
        let expected = match &principal {
            Some(p) => Some(p.csrf_token.clone()),
            None => req.cookie(ANON_CSRF_COOKIE).map(|c| c.value().to_string()),
        };
        if is_unsafe(req.method()) {
            let sent = submitted_csrf(req).await?;
            let valid = match (&expected, &sent) {
                (Some(e), Some(s)) => !e.is_empty() && same_secret(e, s),
                _ => false,
            };
            if !valid || !origin_ok(req) {
                tracing::warn!(path = %req.path(), "CSRF check failed");
                return Err(WebError::Csrf);
            }
        }
        let csrf = match expected {
            Some(t) => t,
            None => {
                let t = random_token();
                new_anon_cookie = Some(t.clone());
                t
            }
        };
        req.extensions_mut().insert(CsrfToken(csrf));
        if let Some(p) = principal {
            req.extensions_mut().insert(p);
        }
        Ok(new_anon_cookie)
    }
}

/// Refuses a request that the route's `Access` does not allow: sign-in first (a redirect for
/// pages, 401 for the API), then the role (403).
pub async fn guard<B: MessageBody + 'static>(
    access: Access,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    match refusal(access, &req) {
        None => Ok(next.call(req).await?.map_into_left_body()),
        Some(err) => Ok(req.error_response(err).map_into_right_body()),
    }
}

/// Why `access` refuses this request, if it does.
fn refusal(access: Access, req: &ServiceRequest) -> Option<WebError> {
    let Access::Role(least) = access else {
        return None;
    };
    let api = is_api(req.path());
    match req.extensions().get::<Principal>().map(|p| p.role) {
        None if api => Some(WebError::from_service(ServiceError::Unauthenticated, true)),
        None => {
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            Some(WebError::SignIn {
                next: target.to_string(),
            })
        }
        Some(r) if !r.at_least(least) => {
            let msg = format!("This needs the {least} role; you are signed in as {r}.");
            Some(WebError::from_service(ServiceError::Forbidden(msg), api))
        }
        Some(_) => None,
    }
}

/// The signed-in user of a request that its route guard has let through.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub Principal);

impl FromRequest for CurrentUser {
    type Error = WebError;
    type Future = Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let api = is_api(req.path());
        ready(
            req.extensions()
                .get::<Principal>()
                .cloned()
                .map(CurrentUser)
                .ok_or_else(|| WebError::from_service(ServiceError::Unauthenticated, api)),
        )
    }
}
