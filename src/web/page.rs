//! What every page template receives: the user, the CSRF token, the flash message, and the
//! navigation the user's role allows. Also the helpers that render pages and redirects.

use std::future::{ready, Ready};

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;

use super::assets;
use super::auth::CsrfToken;
use super::error::WebError;
use crate::domain::Role;
use crate::service::auth::Principal;

const FLASH_COOKIE: &str = "cordon_flash";

/// A one-time message shown on the next page.
#[derive(Clone, Debug)]
pub struct Flash {
    /// `ok` or `error`: a CSS class and an ARIA hint.
    pub kind: &'static str,
    pub message: String,
}

/// An entry of the main navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// The navigation: each entry with the least role that sees it.
const NAV: &[(&str, &str, Role)] = &[
    ("/", "Dashboard", Role::Observer),
    ("/cases", "Queue", Role::Observer),
    ("/cases/new", "New report", Role::Reviewer),
    ("/sites", "Sites", Role::Observer),
    ("/watchlists", "Watchlists", Role::Observer),
    ("/reports", "Reports", Role::Observer),
    ("/admin/users", "Admin", Role::Admin),
];

#[derive(Clone, Debug)]
pub struct PageCtx {
    pub user: Option<Principal>,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub path: String,
    pub asset_version: &'static str,
}

impl PageCtx {
    /// A context with no user, for error pages.
    pub fn bare() -> Self {
        PageCtx {
            user: None,
            csrf: String::new(),
            flash: None,
            path: String::new(),
            asset_version: assets::version(),
        }
    }

    pub fn nav(&self) -> Vec<NavItem> {
        let Some(user) = &self.user else {
            return Vec::new();
        };
        NAV.iter()
            .filter(|(_, _, least)| user.role.at_least(*least))
            .map(|(href, label, _)| NavItem {
                href,
                label,
                active: match *href {
                    "/" => self.path == "/",
                    "/cases" => self.path.starts_with("/cases") && self.path != "/cases/new",
                    "/sites" => self.path.starts_with("/sites"),
                    "/admin/users" => self.path.starts_with("/admin"),
                    other => self.path == other,
                },
            })
            .collect()
    }

    pub fn username(&self) -> &str {
        self.user
            .as_ref()
            .map(|u| u.username.as_str())
            .unwrap_or("")
    }

    pub fn role(&self) -> &'static str {
        self.user.as_ref().map(|u| u.role.as_str()).unwrap_or("")
    }
}

fn parse_flash(value: &str) -> Option<Flash> {
    let (kind, rest) = value.split_once(':')?;
    let kind = match kind {
        "ok" => "ok",
        "error" => "error",
        _ => return None,
    };
    let message: String = url::form_urlencoded::parse(format!("m={rest}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    let message: String = message.chars().take(300).collect();
    Some(Flash { kind, message })
}

impl PageCtx {
    /// The context of a request that went through the identity middleware.
    pub fn of(req: &HttpRequest) -> PageCtx {
        let ext = req.extensions();
        PageCtx {
            user: ext.get::<Principal>().cloned(),
            csrf: ext
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            flash: req
                .cookie(FLASH_COOKIE)
                .and_then(|c| parse_flash(c.value())),
            path: req.path().to_string(),
            asset_version: assets::version(),
        }
    }
}

impl FromRequest for PageCtx {
    type Error = WebError;
    type Future = Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(PageCtx::of(req)))
    }
}

/// Renders a page with a status; clears the flash message it showed.
pub fn render<T: Template>(
    status: StatusCode,
    ctx: &PageCtx,
    page: &T,
) -> Result<HttpResponse, WebError> {
    render_sized(status, ctx, page, T::SIZE_HINT)
}

/// The same, into a buffer of `capacity` bytes from the start: a page that carries a large kept
/// part (the dashboard's pictures) is not copied again each time its buffer grows.
pub fn render_sized<T: Template>(
    status: StatusCode,
    ctx: &PageCtx,
    page: &T,
    capacity: usize,
) -> Result<HttpResponse, WebError> {
    let mut html = String::with_capacity(capacity);
    page.render_into(&mut html)
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    let mut res = HttpResponse::build(status);
    res.content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if ctx.flash.is_some() {
        let mut gone = Cookie::build(FLASH_COOKIE, "").path("/").finish();
        gone.make_removal();
        res.cookie(gone);
    }
    Ok(res.body(html))
}

/// A 303 redirect, optionally carrying a flash message for the next page.
pub fn redirect(to: &str, flash: Option<(&'static str, &str)>) -> HttpResponse {
    let mut res = HttpResponse::SeeOther();
    res.insert_header((header::LOCATION, to));
    if let Some((kind, message)) = flash {
        let encoded: String = url::form_urlencoded::byte_serialize(message.as_bytes()).collect();
        res.cookie(
            Cookie::build(FLASH_COOKIE, format!("{kind}:{encoded}"))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .max_age(CookieDuration::seconds(120))
                .finish(),
        );
    }
    res.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_round_trip_and_hostile_values() {
        let f = parse_flash("ok:User%20%3Cb%3E%20added");
        assert_eq!(f.map(|f| f.message), Some("User <b> added".to_string()));
        assert!(parse_flash("evil:x").is_none());
        assert!(parse_flash("nocolon").is_none());
    }
}
