//! `/api/v1/cases`: reports, the queue, cases, transitions, comments and history as JSON.

use actix_web::HttpResponse;

pub async fn create() -> HttpResponse {
    HttpResponse::NotImplemented().finish()
}
pub async fn list() -> HttpResponse {
    HttpResponse::NotImplemented().finish()
}
pub async fn show() -> HttpResponse {
    HttpResponse::NotImplemented().finish()
}
pub async fn transition() -> HttpResponse {
    HttpResponse::NotImplemented().finish()
}
pub async fn comment() -> HttpResponse {
    HttpResponse::NotImplemented().finish()
}
pub async fn history() -> HttpResponse {
    HttpResponse::NotImplemented().finish()
}
