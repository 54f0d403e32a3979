//! `GET /`: the signed-in user's starting page.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

use crate::domain::Role;
use crate::web::error::WebError;
use crate::web::page::{render, PageCtx};

#[derive(Template)]
#[template(path = "pages/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    can_write: bool,
    can_decide: bool,
    is_admin: bool,
}

pub async fn show(ctx: PageCtx) -> Result<HttpResponse, WebError> {
    let role = ctx.user.as_ref().map(|u| u.role).unwrap_or(Role::Observer);
    let page = DashboardPage {
        ctx: ctx.clone(),
        can_write: role.at_least(Role::Reviewer),
        can_decide: role.at_least(Role::Chair),
        is_admin: role.at_least(Role::Admin),
    };
    render(StatusCode::OK, &ctx, &page)
}
