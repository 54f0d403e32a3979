//! `GET /api/v1/openapi.json`: the API description, generated from the code.

use actix_web::HttpResponse;

pub async fn spec() -> HttpResponse {
    HttpResponse::NotImplemented().finish()
}
