//! Static files embedded in the binary, served with a content hash for cache busting.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};

use super::error::WebError;

const FILES: &[(&str, &str, &str)] = &[
    (
        "css/app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/css/app.css"),
    ),
    (
        "css/print.css",
        "text/css; charset=utf-8",
        include_str!("../../static/css/print.css"),
    ),
    (
        "css/dossier.css",
        "text/css; charset=utf-8",
        include_str!("../../static/css/dossier.css"),
    ),
    (
        "js/cordon.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/js/cordon.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../../static/favicon.svg"),
    ),
];

/// A short hash of every asset, appended to their URLs so browsers refetch after an upgrade.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut h = Sha256::new();
        for (_, _, body) in FILES {
            h.update(body.as_bytes());
        }
        hex::encode(h.finalize()).chars().take(12).collect()
    })
}

/// `GET /static/{path}`.
pub async fn serve(path: web::Path<String>) -> Result<HttpResponse, WebError> {
    let path = path.into_inner();
    let (_, content_type, body) = FILES
        .iter()
        .find(|(p, _, _)| *p == path)
        .ok_or(WebError::NotFound { api: false })?;
    Ok(HttpResponse::Ok()
        .content_type(*content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(*body))
}
