//! The HTTP face of Cordon. `configure` is the whole route table, and every route in it states
//! the least access it needs: there is no other way to add one.

pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod page;
pub mod pages;
pub mod state;
pub mod upload;

use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{guard, web, FromRequest, Handler, HttpRequest, Responder, Route};

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

/// A GET route that answers HEAD too (monitoring tools and `curl -I` use it): the same
/// handler, checks and headers, and the server sends no body.
fn get<F, Args>(access: Access, handler: F) -> Route
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::route()
        .guard(guard::Any(guard::Get()).or(guard::Head()))
        .to(handler)
        .wrap(from_fn(move |req, next| auth::guard(access, req, next)))
}

fn post<F, Args>(access: Access, handler: F) -> Route
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    route(Method::POST, access, handler)
}

/// One route of the table: its path, method and the least access it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteSpec {
    pub path: &'static str,
    /// `GET` (which answers HEAD too) or `POST`.
    pub method: &'static str,
    pub access: Access,
}

const PUBLIC: Access = Access::Public;
const OBSERVER: Access = Access::Role(Role::Observer);
const REVIEWER: Access = Access::Role(Role::Reviewer);
const CHAIR: Access = Access::Role(Role::Chair);
const ADMIN: Access = Access::Role(Role::Admin);

macro_rules! verb {
    (GET) => {
        get
    };
    (POST) => {
        post
    };
}

/// Writes the route table twice from one list: `configure` (what actix serves) and `ROUTES`
/// (what tests walk), so a route cannot be served without being listed.
macro_rules! route_table {
    ($($path:literal { $($method:ident $access:ident => $handler:path);+ })*) => {
        /// Every route Cordon serves: path, method, least access.
        pub const ROUTES: &[RouteSpec] = &[
            $($(RouteSpec { path: $path, method: stringify!($method), access: $access },)+)*
        ];

        /// The route table: path, method, least access, handler.
        pub fn configure(cfg: &mut web::ServiceConfig) {
            #[allow(unused_imports)]
            use pages::*;
            $(cfg.service(
                web::resource($path)
                    $(.route(verb!($method)($access, $handler)))+
                    .default_service(web::to(method_not_allowed)),
            );)*
        }
    };
}

route_table! {
    "/healthz" { GET PUBLIC => health::check }
    "/.well-known/cordon-export-key" { GET PUBLIC => keys::published }
    "/static/{path:.*}" { GET PUBLIC => assets::serve }
    "/login" { GET PUBLIC => login::form; POST PUBLIC => login::submit }
    "/logout" { POST OBSERVER => login::logout }
    "/tip" { GET PUBLIC => tip::form; POST PUBLIC => tip::submit }
    "/" { GET OBSERVER => dashboard::show }
    "/cases" { GET OBSERVER => queue::list }
    "/cases/new" { GET REVIEWER => report_form::form; POST REVIEWER => report_form::create }
    "/cases/rescreen" { POST CHAIR => cases::rescreen }
    "/cases/new/rows" { POST REVIEWER => report_form::more_rows }
    "/cases/import" { GET REVIEWER => import::form; POST REVIEWER => import::submit }
    "/cases/import/template.csv" { GET REVIEWER => import::template }
    "/cases/{id}" { GET OBSERVER => cases::show }
    "/cases/{id}/edit" { GET REVIEWER => report_form::edit_form; POST REVIEWER => report_form::save }
    "/cases/{id}/transition" { POST REVIEWER => cases::transition }
    "/cases/{id}/risk" { POST REVIEWER => cases::risk }
    "/cases/{id}/hits" { POST REVIEWER => cases::hit }
    "/cases/{id}/comment" { POST REVIEWER => cases::comment }
    "/cases/{id}/assign" { POST REVIEWER => cases::assign }
    "/cases/{id}/toll" { POST CHAIR => cases::toll }
    "/cases/{id}/resume" { POST CHAIR => cases::resume }
    "/cases/{id}/extend" { POST CHAIR => cases::extend }
    "/cases/{id}/conditions/{cid}" { POST CHAIR => cases::condition }
    "/cases/{id}/attachments" { POST REVIEWER => attachments::upload }
    "/cases/{id}/attachments/{attachment}" { GET OBSERVER => attachments::download }
    "/cases/{id}/export.json" { GET OBSERVER => exports::json }
    "/cases/{id}/export.csv" { GET OBSERVER => exports::csv }
    "/cases/{id}/print" { GET OBSERVER => exports::print }
    "/cases/{id}/dossier.pdf" { GET OBSERVER => exports::pdf }
    "/export/cases.csv" { GET OBSERVER => exports::cases_csv }
    "/export/cases.jsonl" { GET OBSERVER => exports::cases_jsonl }
    "/sites" { GET OBSERVER => sites::list }
    "/sites/export.csv" { GET OBSERVER => sites::export }
    "/sites/new" { GET ADMIN => sites::new_form; POST ADMIN => sites::create }
    "/sites/import" { POST ADMIN => sites::import }
    "/sites/{id}/edit" { GET ADMIN => sites::edit_form; POST ADMIN => sites::save }
    "/sites/{id}/retire" { POST ADMIN => sites::retire }
    "/sites/{id}/restore" { POST ADMIN => sites::restore }
    "/reports" { GET OBSERVER => reports::show }
    "/reports/{table}" { GET OBSERVER => reports::csv }
    "/watchlists" { GET OBSERVER => watchlists::index }
    "/watchlists/import" { POST ADMIN => watchlists::import }
    "/admin" { GET ADMIN => admin::index }
    "/admin/users" { GET ADMIN => admin::users; POST ADMIN => admin::add_user }
    "/admin/users/{name}/disable" { POST ADMIN => admin::disable_user }
    "/admin/users/{name}/enable" { POST ADMIN => admin::enable_user }
    "/admin/users/{name}/role" { POST ADMIN => admin::change_role }
    "/admin/users/{name}/password" { POST ADMIN => admin::reset_password }
    "/admin/tokens" { GET ADMIN => admin::tokens; POST ADMIN => admin::create_token }
    "/admin/tokens/{id}/revoke" { POST ADMIN => admin::revoke_token }
    "/admin/audit" { GET ADMIN => admin::audit }
    "/admin/rules" { GET ADMIN => admin::rules; POST ADMIN => admin::load_rules }
    "/admin/closures" { GET ADMIN => admin::closures; POST ADMIN => admin::add_closure }
    "/admin/closures/{day}/remove" { POST ADMIN => admin::remove_closure }
    "/api/v1/me" { GET OBSERVER => api::me::show }
    "/api/v1/openapi.json" { GET PUBLIC => api::openapi::spec }
    "/api/v1/cases" { GET OBSERVER => api::cases::list; POST REVIEWER => api::cases::create }
    "/api/v1/screen" { POST REVIEWER => api::cases::screen }
    "/api/v1/cases/import" { POST REVIEWER => api::import::create }
    "/api/v1/cases/{id}" { GET OBSERVER => api::cases::show }
    "/api/v1/cases/{id}/transitions" { POST REVIEWER => api::cases::transition }
    "/api/v1/cases/{id}/comments" { POST REVIEWER => api::cases::comment }
    "/api/v1/cases/{id}/history" { GET OBSERVER => api::cases::history }
    "/api/v1/cases/{id}/export" { GET OBSERVER => api::cases::export }
}

/// Whether the answer will be delivered: false for HEAD, which gets the headers of a GET and no
/// body. Downloads that are recorded (exports, attachments) record only what is delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivered(pub bool);

impl FromRequest for Delivered {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Delivered(req.method() != Method::HEAD)))
    }
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

/// The methods a path of the table takes, for the `Allow` header (a GET route answers HEAD).
pub fn allowed_methods(pattern: &str) -> String {
    let mut methods: Vec<&str> = Vec::new();
    for r in ROUTES.iter().filter(|r| r.path == pattern) {
        methods.push(r.method);
        if r.method == "GET" {
            methods.push("HEAD");
        }
    }
    methods.join(", ")
}

/// A path of the table asked with a method it does not take: 405, with the methods it takes.
pub async fn method_not_allowed(
    req: HttpRequest,
) -> Result<actix_web::HttpResponse, error::WebError> {
    let allow = allowed_methods(req.match_pattern().as_deref().unwrap_or_default());
    Err(error::WebError::MethodNotAllowed {
        method: req.method().as_str().chars().take(20).collect(),
        allow,
        api: auth::is_api(req.path()),
    })
}

/// Anything no route matched: a 404 page, or JSON under `/api`.
pub async fn not_found(req: HttpRequest) -> Result<actix_web::HttpResponse, error::WebError> {
    Err(error::WebError::NotFound {
        api: auth::is_api(req.path()),
    })
}
