//! `GET /.well-known/cordon-export-key`: the office's export-signing public keys, each with the
//! time it was in use, for whoever checks an exported case (`cordon verify --key FILE` reads
//! this document as it is served).

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::service::keys;
use crate::web::error::WebError;
use crate::web::AppState;

pub async fn published(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let list = state
        .db
        .run(keys::published)
        .await
        .map_err(|e| WebError::from_service(e, false))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(list))
}
