//! `GET /`: the signed-in user's starting page: their cases, what is due, what is late.

use std::sync::{Arc, Mutex};

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};

use super::case_view::days_text;
use crate::charts::dashboard::Counts;
use crate::charts::Charts;
use crate::db::queue::QueueCase;
use crate::domain::workflow::State;
use crate::domain::Role;
use crate::service::cases::Dashboard;
use crate::service::clock::Now;
use crate::service::{self};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{render_sized, PageCtx};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    d: Dashboard,
    today: NaiveDate,
    can_write: bool,
    /// The open-cases map and the charts, drawn (see [`PicturesCache`]).
    pictures: Arc<str>,
}

/// The open-cases map and the charts, drawn on their own so the drawing can be kept.
#[derive(Template)]
#[template(path = "partials/_dashboard_pictures.html")]
struct PicturesPartial<'a> {
    case_map: &'a service::maps::MapView,
    charts: &'a Charts,
}

/// The dashboard's pictures as drawn HTML, kept while what they show is unchanged: the same
/// chart counts, the same day (the charts' months and years end today) and the same map (the
/// map cache hands out the same `Arc` until a case changes). Drawing them was most of the
/// page's cost; the counts are still read on every request, so a change on any node shows at
/// once.
#[derive(Clone, Default)]
pub struct PicturesCache(Arc<Mutex<Option<Pictures>>>);

struct Pictures {
    counts: Counts,
    today: NaiveDate,
    map: Arc<service::maps::MapView>,
    html: Arc<str>,
}

impl PicturesCache {
    fn get(
        &self,
        counts: Counts,
        today: NaiveDate,
        map: Arc<service::maps::MapView>,
    ) -> Result<Arc<str>, WebError> {
        if let Some(p) = self.0.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if p.today == today && Arc::ptr_eq(&p.map, &map) && p.counts == counts {
                return Ok(p.html.clone());
            }
        }
        let charts = Charts::build(&counts, today);
        let html: Arc<str> = PicturesPartial {
            case_map: &map,
            charts: &charts,
        }
        .render()
        .map_err(|e| WebError::Internal(format!("dashboard pictures: {e}")))?
        .into();
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Pictures {
            counts,
            today,
            map,
            html: html.clone(),
        });
        Ok(html)
    }
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
    let (d, counts, case_map) = state
        .db
        .run(move |c| {
            let d = service::cases::dashboard(c, &name, today)?;
            let counts = service::charts::counts(c, today)?;
            let map = service::maps::open_cases_map(c, &cache)?;
            Ok::<_, service::ServiceError>((d, counts, map))
        })
        .await?;
    let pictures = state.pictures.get(counts, today, case_map)?;
    // The pictures, and room for the panels and the layout around them.
    let capacity = pictures.len() + 64 * 1024;
    let page = DashboardPage {
        ctx: ctx.clone(),
        d,
        today,
        can_write: user.0.role.at_least(Role::Reviewer),
        pictures,
    };
    render_sized(StatusCode::OK, &ctx, &page, capacity)
}
