//! The HTTP face of Cordon. `configure` is the whole route table, and every route in it states
//! the least access it needs: there is no other way to add one.

pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod page;
pub mod pages;
pub mod state;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{web, HttpRequest, Resource};

use crate::domain::Role;
use auth::Access;
pub use state::AppState;

/// A resource that lets through only what `access` allows.
fn at(
    path: &str,
    access: Access,
) -> Resource<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    web::resource(path).wrap(from_fn(move |req, next| auth::guard(access, req, next)))
}

/// The route table.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use web::{get, post};
    use Access::Public;
    let observer = Access::Role(Role::Observer);
    let admin = Access::Role(Role::Admin);

    cfg.service(at("/healthz", Public).route(get().to(pages::health::check)))
        .service(at("/static/{path:.*}", Public).route(get().to(assets::serve)))
        .service(
            at("/login", Public)
                .route(get().to(pages::login::form))
                .route(post().to(pages::login::submit)),
        )
        .service(at("/logout", observer).route(post().to(pages::login::logout)))
        .service(at("/", observer).route(get().to(pages::dashboard::show)))
        .service(at("/admin", admin).route(get().to(pages::admin::index)))
        .service(
            at("/admin/users", admin)
                .route(get().to(pages::admin::users))
                .route(post().to(pages::admin::add_user)),
        )
        .service(
            at("/admin/users/{name}/disable", admin).route(post().to(pages::admin::disable_user)),
        )
        .service(
            at("/admin/users/{name}/enable", admin).route(post().to(pages::admin::enable_user)),
        )
        .service(at("/admin/users/{name}/role", admin).route(post().to(pages::admin::change_role)))
        .service(
            at("/admin/users/{name}/password", admin)
                .route(post().to(pages::admin::reset_password)),
        )
        .service(
            at("/admin/tokens", admin)
                .route(get().to(pages::admin::tokens))
                .route(post().to(pages::admin::create_token)),
        )
        .service(
            at("/admin/tokens/{id}/revoke", admin).route(post().to(pages::admin::revoke_token)),
        )
        .service(at("/admin/audit", admin).route(get().to(pages::admin::audit)))
        .service(at("/api/v1/me", observer).route(get().to(api::me::show)));
}

/// Where a request comes from: the peer, or the first `X-Forwarded-For` hop behind a trusted
/// proxy.
pub fn client_addr(req: &HttpRequest, trust_proxy: bool) -> Option<String> {
    if trust_proxy {
        if let Some(ip) = req.connection_info().realip_remote_addr() {
            return Some(ip.to_string());
        }
    }
    req.peer_addr().map(|a| a.ip().to_string())
}

/// Anything no route matched: a 404 page, or JSON under `/api`.
pub async fn not_found(req: HttpRequest) -> Result<actix_web::HttpResponse, error::WebError> {
    Err(error::WebError::NotFound {
        api: auth::is_api(req.path()),
    })
}
