//! `GET /`: the signed-in user's starting page: their cases, what is due, what is late.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};

use super::case_view::days_text;
use crate::db::queue::QueueCase;
use crate::domain::workflow::State;
use crate::domain::Role;
use crate::service::cases::Dashboard;
use crate::service::clock::Now;
use crate::service::{self};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{render, PageCtx};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    d: Dashboard,
    today: NaiveDate,
    can_write: bool,
    case_map: std::sync::Arc<service::maps::MapView>,
    charts: crate::charts::Charts,
}

impl DashboardPage {
    fn left(&self, c: &QueueCase) -> (String, &'static str) {
        if c.tolled_since.is_some() {
            return ("paused".into(), "paused");
        }
        days_text(c.next_due, self.today)
    }
    fn label(&self, s: &str) -> &'static str {
        s.parse::<State>().map(|s| s.label()).unwrap_or("")
    }
    fn total(&self) -> i64 {
        self.d.by_state.iter().map(|(_, n)| n).sum()
    }
}

pub async fn show(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
) -> Result<HttpResponse, WebError> {
    let today = Now::real().today;
    let name = user.0.username.clone();
    let cache = state.case_map.clone();
    let (d, charts, case_map) = state
        .db
        .run(move |c| {
            let d = service::cases::dashboard(c, &name, today)?;
            let charts = service::charts::dashboard(c, today)?;
            let map = service::maps::open_cases_map(c, &cache)?;
            Ok::<_, service::ServiceError>((d, charts, map))
        })
        .await?;
    let page = DashboardPage {
        case_map,
        ctx: ctx.clone(),
        d,
        today,
        can_write: user.0.role.at_least(Role::Reviewer),
        charts,
    };
    render(StatusCode::OK, &ctx, &page)
}
