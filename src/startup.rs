//! Builds the application (state, middleware order, limits, routes) and runs the server. Used by
//! `cordon serve` and by the integration tests, so both start Cordon the same way.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::{self, Db};
use crate::web::{self as routes, error::WebError, AppState};

/// The Content-Security-Policy: nothing but Cordon's own files, no inline script or style.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// How long an idle keep-alive connection is kept open.
pub const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(120);

/// Opens the database and runs pending migrations.
pub fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::open(&settings.database_url, settings.db_pool)?;
    let mut conn = db.conn()?;
    let ran = db::migrate::run(&mut conn)?;
    if ran > 0 {
        tracing::info!(migrations = ran, "database migrated");
    }
    let rewritten = crate::service::search::reindex(&mut conn)?;
    if rewritten > 0 {
        tracing::info!(cases = rewritten, "search words rewritten");
    }
    let rekeyed = crate::service::related::rekey(&mut conn)?;
    if rekeyed > 0 {
        tracing::info!(parties = rekeyed, "party name keys written");
    }
    Ok(db)
}

/// Form, JSON, query and path errors become clear 400/413 answers (JSON under `/api`).
fn extractor_limits(
    max: usize,
) -> (
    web::FormConfig,
    web::JsonConfig,
    web::QueryConfig,
    web::PathConfig,
    web::PayloadConfig,
) {
    let form = web::FormConfig::default()
        .limit(max)
        .error_handler(|e, req| {
            let api = routes::auth::is_api(req.path());
            match e {
                actix_web::error::UrlencodedError::Overflow { .. } => {
                    WebError::TooLarge { api }.into()
                }
                other => WebError::BadRequest {
                    message: format!("The form could not be read: {other}"),
                    api,
                }
                .into(),
            }
        });
    let json = web::JsonConfig::default()
        .limit(max)
        .error_handler(|e, _| match e {
            actix_web::error::JsonPayloadError::Overflow { .. }
            | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                WebError::TooLarge { api: true }.into()
            }
            other => WebError::BadRequest {
                message: format!("The JSON body could not be read: {other}"),
                api: true,
            }
            .into(),
        });
    let query = web::QueryConfig::default().error_handler(|e, req| {
        let api = routes::auth::is_api(req.path());
        WebError::BadRequest {
            message: format!("The query string could not be read: {e}"),
            api,
        }
        .into()
    });
    let path = web::PathConfig::default().error_handler(|_, req| {
        WebError::NotFound {
            api: routes::auth::is_api(req.path()),
        }
        .into()
    });
    (form, json, query, path, web::PayloadConfig::new(max))
}

/// Binds and returns the running server; `listener` lets tests take port 0.
pub fn run(
    settings: Settings,
    db: Db,
    listener: TcpListener,
) -> std::io::Result<actix_web::dev::Server> {
    let max_body = settings.max_body_bytes;
    let workers = settings.workers;
    let key = {
        let mut conn = db
            .conn()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        crate::service::keys::open(&mut conn, &settings.key_path())
            .map_err(std::io::Error::other)?
    };
    let state = AppState {
        db,
        settings: Arc::new(settings),
        screener: Default::default(),
        office_key: Arc::new(key),
        case_map: Default::default(),
        pictures: Default::default(),
        reports: Default::default(),
    };
    let mut server = HttpServer::new(move || {
        let (form, json, query, path, payload) = extractor_limits(max_body);
        App::new()
            .app_data(web::Data::new(state.clone()))
            .app_data(form)
            .app_data(json)
            .app_data(query)
            .app_data(path)
            .app_data(payload)
            .wrap(from_fn(routes::auth::identity))
            .wrap(Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add((header::CONTENT_SECURITY_POLICY, CSP))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::REFERRER_POLICY, "same-origin"))
                    .add(("Cross-Origin-Opener-Policy", "same-origin"))
                    .add((
                        "Permissions-Policy",
                        "geolocation=(), camera=(), microphone=()",
                    )),
            )
            .wrap(TracingLogger::default())
            .configure(routes::configure)
            .default_service(web::to(routes::not_found))
    })
    // Idle connections stay open longer than clients and proxies keep them in their pools
    // (reqwest 90 s, nginx upstreams 60 s): with actix's default of 5 s, a client reusing a
    // connection just as the server closed it got a reset instead of an answer.
    .keep_alive(KEEP_ALIVE)
    .shutdown_timeout(10)
    .listen(listener)?;
    if let Some(n) = workers {
        server = server.workers(n);
    }
    Ok(server.run())
}
