//! What every handler shares. Cheap to clone.

use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;
use crate::service::keys::OfficeKey;
use crate::service::screening::Screener;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// The screening engine, shared by the workers and rebuilt when its data changes.
    pub screener: Screener,
    /// The office's export-signing key.
    pub office_key: Arc<OfficeKey>,
    /// The dashboard's map of open cases, kept between requests.
    pub case_map: crate::service::maps::CaseMapCache,
    /// The dashboard's drawn map and charts, kept while what they show is unchanged.
    pub pictures: crate::web::pages::dashboard::PicturesCache,
    /// The reports' counts of each year asked for, kept until the history moves on.
    pub reports: crate::service::reports::ReportsCache,
}
