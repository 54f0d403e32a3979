//! The HTTP face of Cordon. `configure` is the whole route table, and every route in it states
//! the least access it needs: there is no other way to add one.

pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod page;
pub mod pages;
pub mod state;

use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{web, FromRequest, Handler, HttpRequest, Responder, Route};

use crate::domain::Role;
use auth::Access;
pub use state::AppState;

/// A route for `method` that lets through only what `access` allows. Every route of the table
/// is made here, so none can forget to say who may use it.
fn route<F, Args>(method: Method, access: Access, handler: F) -> Route
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::method(method)
        .to(handler)
        .wrap(from_fn(move |req, next| auth::guard(access, req, next)))
}

fn get<F, Args>(access: Access, handler: F) -> Route
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    route(Method::GET, access, handler)
}

fn post<F, Args>(access: Access, handler: F) -> Route
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    route(Method::POST, access, handler)
}

/// The route table: path, method, least access, handler.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use pages::*;
    use Access::Public;
    let observer = Access::Role(Role::Observer);
    let reviewer = Access::Role(Role::Reviewer);
    let chair = Access::Role(Role::Chair);
    let admin = Access::Role(Role::Admin);
    let at = web::resource;

    cfg.service(at("/healthz").route(get(Public, health::check)))
        .service(at("/static/{path:.*}").route(get(Public, assets::serve)))
        .service(
            at("/login")
                .route(get(Public, login::form))
                .route(post(Public, login::submit)),
        )
        .service(at("/logout").route(post(observer, login::logout)))
        .service(
            at("/tip")
                .route(get(Public, tip::form))
                .route(post(Public, tip::submit)),
        )
        .service(at("/").route(get(observer, dashboard::show)))
        .service(at("/cases").route(get(observer, queue::list)))
        .service(
            at("/cases/new")
                .route(get(reviewer, report_form::form))
                .route(post(reviewer, report_form::create)),
        )
        .service(at("/cases/rescreen").route(post(chair, cases::rescreen)))
        .service(at("/cases/new/rows").route(post(reviewer, report_form::more_rows)))
        .service(at("/cases/{id}").route(get(observer, cases::show)))
        .service(
            at("/cases/{id}/edit")
                .route(get(reviewer, report_form::edit_form))
                .route(post(reviewer, report_form::save)),
        )
        .service(at("/cases/{id}/transition").route(post(reviewer, cases::transition)))
        .service(at("/cases/{id}/risk").route(post(reviewer, cases::risk)))
        .service(at("/cases/{id}/hits").route(post(reviewer, cases::hit)))
        .service(at("/cases/{id}/comment").route(post(reviewer, cases::comment)))
        .service(at("/cases/{id}/assign").route(post(reviewer, cases::assign)))
        .service(at("/cases/{id}/toll").route(post(chair, cases::toll)))
        .service(at("/cases/{id}/resume").route(post(chair, cases::resume)))
        .service(at("/cases/{id}/extend").route(post(chair, cases::extend)))
        .service(at("/cases/{id}/conditions/{cid}").route(post(chair, cases::condition)))
        .service(at("/cases/{id}/attachments").route(post(reviewer, attachments::upload)))
        .service(
            at("/cases/{id}/attachments/{attachment}").route(get(observer, attachments::download)),
        )
        .service(at("/cases/{id}/export.json").route(get(observer, exports::json)))
        .service(at("/cases/{id}/export.csv").route(get(observer, exports::csv)))
        .service(at("/cases/{id}/print").route(get(observer, exports::print)))
        .service(at("/cases/{id}/dossier.pdf").route(get(observer, exports::pdf)))
        .service(at("/export/cases.csv").route(get(observer, exports::cases_csv)))
        .service(at("/export/cases.jsonl").route(get(observer, exports::cases_jsonl)))
        .service(at("/sites").route(get(observer, sites::list)))
        .service(at("/sites/export.csv").route(get(observer, sites::export)))
        .service(
            at("/sites/new")
                .route(get(admin, sites::new_form))
                .route(post(admin, sites::create)),
        )
        .service(at("/sites/import").route(post(admin, sites::import)))
        .service(
            at("/sites/{id}/edit")
                .route(get(admin, sites::edit_form))
                .route(post(admin, sites::save)),
        )
        .service(at("/sites/{id}/retire").route(post(admin, sites::retire)))
        .service(at("/sites/{id}/restore").route(post(admin, sites::restore)))
        .service(at("/watchlists").route(get(observer, watchlists::index)))
        .service(at("/watchlists/import").route(post(admin, watchlists::import)))
        .service(at("/admin").route(get(admin, admin::index)))
        .service(
            at("/admin/users")
                .route(get(admin, admin::users))
                .route(post(admin, admin::add_user)),
        )
        .service(at("/admin/users/{name}/disable").route(post(admin, admin::disable_user)))
        .service(at("/admin/users/{name}/enable").route(post(admin, admin::enable_user)))
        .service(at("/admin/users/{name}/role").route(post(admin, admin::change_role)))
        .service(at("/admin/users/{name}/password").route(post(admin, admin::reset_password)))
        .service(
            at("/admin/tokens")
                .route(get(admin, admin::tokens))
                .route(post(admin, admin::create_token)),
        )
        .service(at("/admin/tokens/{id}/revoke").route(post(admin, admin::revoke_token)))
        .service(at("/admin/audit").route(get(admin, admin::audit)))
        .service(
            at("/admin/rules")
                .route(get(admin, admin::rules))
                .route(post(admin, admin::load_rules)),
        )
        .service(
            at("/admin/closures")
                .route(get(admin, admin::closures))
                .route(post(admin, admin::add_closure)),
        )
        .service(at("/admin/closures/{day}/remove").route(post(admin, admin::remove_closure)))
        .service(at("/api/v1/me").route(get(observer, api::me::show)))
        .service(at("/api/v1/openapi.json").route(get(Public, api::openapi::spec)))
        .service(
            at("/api/v1/cases")
                .route(get(observer, api::cases::list))
                .route(post(reviewer, api::cases::create)),
        )
        .service(at("/api/v1/screen").route(post(reviewer, api::cases::screen)))
        .service(at("/api/v1/cases/{id}").route(get(observer, api::cases::show)))
        .service(at("/api/v1/cases/{id}/transitions").route(post(reviewer, api::cases::transition)))
        .service(at("/api/v1/cases/{id}/comments").route(post(reviewer, api::cases::comment)))
        .service(at("/api/v1/cases/{id}/history").route(get(observer, api::cases::history)))
        .service(at("/api/v1/cases/{id}/export").route(get(observer, api::cases::export)));
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
