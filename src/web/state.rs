//! What every handler shares. Cheap to clone.

use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
}
