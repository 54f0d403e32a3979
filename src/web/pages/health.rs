//! `GET /healthz`: `ok` after a database round trip.

use actix_web::{web, HttpResponse};

use crate::db::{self, DbError};
use crate::web::AppState;

pub async fn check(state: web::Data<AppState>) -> HttpResponse {
    match state.db.run::<_, DbError, _>(db::ping).await {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable")
        }
    }
}
