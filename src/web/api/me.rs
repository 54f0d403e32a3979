//! `GET /api/v1/me`: who the token belongs to.

use actix_web::HttpResponse;

use crate::web::auth::CurrentUser;

#[derive(serde::Serialize)]
struct Me<'a> {
    username: &'a str,
    role: &'a str,
}

pub async fn show(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(Me {
        username: &user.0.username,
        role: user.0.role.as_str(),
    })
}
