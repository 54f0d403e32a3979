//! The one place that maps errors to HTTP: an HTML error page for people, JSON
//! `{"error": {"code", "message", "field"?}}` for the API.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::page::PageCtx;
use crate::service::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{err}")]
    Service { err: ServiceError, api: bool },
    /// A state-changing request without a valid CSRF token (or from another origin).
    #[error("CSRF check failed")]
    Csrf,
    #[error("request body too large")]
    TooLarge { api: bool },
    /// A page that needs a signed-in user: send the browser to the login form.
    #[error("sign in required")]
    SignIn { next: String },
    /// Input that could not even be parsed (wrong types, bad encoding).
    #[error("bad request: {message}")]
    BadRequest { message: String, api: bool },
    #[error("not found")]
    NotFound { api: bool },
    /// A method the path does not take; `allow` lists those it does.
    #[error("method {method} not allowed")]
    MethodNotAllowed {
        method: String,
        allow: String,
        api: bool,
    },
    #[error("internal: {0}")]
    Internal(String),
}

impl WebError {
    pub fn from_service(err: ServiceError, api: bool) -> Self {
        WebError::Service { err, api }
    }

    fn is_api(&self) -> bool {
        match self {
            WebError::Service { api, .. }
            | WebError::BadRequest { api, .. }
            | WebError::TooLarge { api }
            | WebError::NotFound { api }
            | WebError::MethodNotAllowed { api, .. } => *api,
            _ => false,
        }
    }

    /// Stable machine code, a sentence for people, and the field concerned.
    fn describe(&self) -> (&'static str, String, Option<String>) {
        match self {
            WebError::Service { err, .. } => match err {
                ServiceError::Validation(v) => {
                    let (field, msg) = v.first().unwrap_or(("", "The input is not valid."));
                    ("validation", msg.to_string(), Some(field.to_string()).filter(|f| !f.is_empty()))
                }
                ServiceError::BadCredentials => ("bad_credentials", "Incorrect user name or password.".into(), None),
                ServiceError::Throttled { retry_after_secs } => (
                    "throttled",
                    format!("Too many failed sign-ins. Try again in {} minute(s).", (retry_after_secs + 59) / 60),
                    None,
                ),
                ServiceError::Unauthenticated => (
                    "unauthenticated",
                    "A valid API token is required (Authorization: Bearer TOKEN).".into(),
                    None,
                ),
                ServiceError::Forbidden(m) => ("forbidden", m.clone(), None),
                ServiceError::NotFound => ("not_found", "There is nothing here.".into(), None),
                ServiceError::Conflict(m) => ("conflict", m.clone(), None),
                ServiceError::InvalidTransition(m) => ("invalid_transition", m.clone(), None),
                ServiceError::Internal(_) => ("internal", "Something went wrong on our side; it has been logged.".into(), None),
            },
            WebError::Csrf => (
                "csrf",
                "This form has expired or did not come from Cordon. Nothing was changed; reload the page and try again.".into(),
                None,
            ),
            WebError::TooLarge { .. } => ("too_large", "The request is larger than Cordon accepts.".into(), None),
            WebError::SignIn { .. } => ("unauthenticated", "Please sign in.".into(), None),
            WebError::BadRequest { message, .. } => ("bad_request", message.clone(), None),
            WebError::NotFound { .. } => ("not_found", "There is nothing here.".into(), None),
            WebError::MethodNotAllowed { method, allow, .. } => (
                "method_not_allowed",
                format!("This address does not take {method} requests; it takes {allow}."),
                None,
            ),
            WebError::Internal(_) => ("internal", "Something went wrong on our side; it has been logged.".into(), None),
        }
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    ctx: PageCtx,
    status: u16,
    title: &'static str,
    message: String,
}

fn title_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Bad request",
        401 => "Sign in required",
        403 => "Not allowed",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Changed by someone else",
        413 => "Too large",
        422 => "Check the input",
        429 => "Too many attempts",
        _ => "Something went wrong",
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::Service { err, .. } => match err {
                ServiceError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                ServiceError::BadCredentials | ServiceError::Unauthenticated => {
                    StatusCode::UNAUTHORIZED
                }
                ServiceError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
                ServiceError::NotFound => StatusCode::NOT_FOUND,
                ServiceError::Conflict(_) => StatusCode::CONFLICT,
                ServiceError::InvalidTransition(_) => StatusCode::UNPROCESSABLE_ENTITY,
                ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::SignIn { .. } => StatusCode::SEE_OTHER,
            WebError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            WebError::NotFound { .. } => StatusCode::NOT_FOUND,
            WebError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        self.respond(PageCtx::bare())
    }
}

impl WebError {
    /// Whether this error is shown as an HTML page (rather than JSON or a redirect).
    pub fn is_page(&self) -> bool {
        !self.is_api() && !matches!(self, WebError::SignIn { .. })
    }

    /// The response, with `ctx` for the page's header (the signed-in user and navigation).
    pub fn respond(&self, ctx: PageCtx) -> HttpResponse {
        let status = self.status_code();
        if let WebError::SignIn { next } = self {
            let target: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/login?next={target}")))
                .finish();
        }
        let (code, message, field) = self.describe();
        let mut builder = HttpResponse::build(status);
        if let WebError::Service {
            err: ServiceError::Throttled { retry_after_secs },
            ..
        } = self
        {
            builder.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let WebError::MethodNotAllowed { allow, .. } = self {
            builder.insert_header((header::ALLOW, allow.as_str()));
        }
        if self.is_api() {
            let mut error = serde_json::json!({"code": code, "message": message});
            if let (Some(f), Some(obj)) = (field, error.as_object_mut()) {
                obj.insert("field".into(), serde_json::Value::String(f));
            }
            return builder.json(serde_json::json!({ "error": error }));
        }
        let page = ErrorPage {
            ctx,
            status: status.as_u16(),
            title: title_for(status),
            message,
        };
        match page.render() {
            Ok(html) => builder.content_type("text/html; charset=utf-8").body(html),
            Err(_) => builder
                .content_type("text/plain; charset=utf-8")
                .body(page.message),
        }
    }
}

impl From<ServiceError> for WebError {
    fn from(err: ServiceError) -> Self {
        WebError::Service { err, api: false }
    }
}

/// Errors of the API: the same mapping, always as JSON.
pub fn api(err: ServiceError) -> WebError {
    WebError::Service { err, api: true }
}
