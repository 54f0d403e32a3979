//! The JSON shapes of a case shared by the API and the exports, and the export document.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::cases::{CaseRow, ConditionRow, DeadlineRow, PartyRow};

/// The transaction of a case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TransactionJson {
    #[schema(value_type = crate::domain::report::TxKind, example = "purchase")]
    pub kind: String,
    /// The transaction date.
    pub date: Option<NaiveDate>,
    /// The value in US dollars.
    pub value_usd: Option<i64>,
    /// The property rights conveyed (31 CFR 802.212).
    pub rights: RightsJson,
    /// E.g. "cryptocurrency mining".
    pub intended_use: String,
    /// Power demand in MW.
    pub power_mw: Option<f64>,
}

/// The four property rights of 31 CFR 802.212.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct RightsJson {
    /// To physically access the property.
    pub access: bool,
    /// To exclude others from it.
    pub exclude: bool,
    /// To improve or develop it.
    pub improve: bool,
    /// To attach fixed or immovable structures or objects.
    pub affix: bool,
}

/// The property of a case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PropertyJson {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
    /// The address.
    pub address: String,
    /// US state or territory postal code.
    pub state: Option<String>,
    /// 5-digit county FIPS code.
    pub county_fips: Option<String>,
    /// Acres.
    pub acreage: Option<f64>,
    /// Inside an urban area.
    pub urban_area: bool,
    /// A single housing unit.
    pub single_housing_unit: bool,
    /// Inside a port.
    pub in_port: bool,
    /// Commercial office space.
    pub commercial_office: bool,
}

/// A party to the transaction.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PartyJson {
    /// Unique within the case, e.g. `p1`.
    pub key: String,
    /// The party's name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    #[schema(value_type = crate::domain::report::PartyRole)]
    pub role: String,
    /// Its share of the party it owns, 0 to 100.
    pub ownership_pct: Option<f64>,
    /// The key of the party it owns.
    pub owns: Option<String>,
    /// Controlled by a foreign government.
    pub government_controlled: bool,
    /// State-owned.
    pub state_owned: bool,
}

impl From<&PartyRow> for PartyJson {
    fn from(p: &PartyRow) -> Self {
        PartyJson {
            key: p.key.clone(),
            name: p.name.clone(),
            country: p.country.clone(),
            role: p.role.clone(),
            ownership_pct: p.ownership_pct,
            owns: p.owns.clone(),
            government_controlled: p.government_controlled,
            state_owned: p.state_owned,
        }
    }
}

/// An open deadline.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeadlineJson {
    /// `triage`, `screening`, `review`, `investigation`, …
    #[schema(example = "triage")]
    pub kind: String,
    /// What it is, for people.
    pub label: String,
    /// The day the period runs from.
    pub starts: NaiveDate,
    /// The last day.
    pub due: NaiveDate,
}

impl From<&DeadlineRow> for DeadlineJson {
    fn from(d: &DeadlineRow) -> Self {
        DeadlineJson {
            kind: d.kind.clone(),
            label: d.label.clone(),
            starts: d.starts,
            due: d.due,
        }
    }
}

/// A condition of a decision (mitigation, or a deadline of an order).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ConditionJson {
    /// The condition's id.
    pub id: i64,
    /// `mitigation` or `order`.
    pub kind: String,
    /// What must be done.
    pub text: String,
    /// By when, if dated.
    pub due: Option<NaiveDate>,
    /// `open`, `met`, `breached` or `waived`.
    pub status: String,
}

impl From<&ConditionRow> for ConditionJson {
    fn from(c: &ConditionRow) -> Self {
        ConditionJson {
            id: c.id,
            kind: c.kind.clone(),
            text: c.text.clone(),
            due: c.due,
            status: c.status.clone(),
        }
    }
}

/// The transaction of a stored case.
pub fn transaction(c: &CaseRow) -> TransactionJson {
    TransactionJson {
        kind: c.tx_kind.clone(),
        date: c.tx_date,
        value_usd: c.tx_value_usd,
        rights: RightsJson {
            access: c.right_access,
            exclude: c.right_exclude,
            improve: c.right_improve,
            affix: c.right_affix,
        },
        intended_use: c.intended_use.clone(),
        power_mw: c.power_mw,
    }
}

/// The property of a stored case.
pub fn property(c: &CaseRow) -> PropertyJson {
    PropertyJson {
        lat: c.lat,
        lon: c.lon,
        address: c.address.clone(),
        state: c.us_state.clone(),
        county_fips: c.county_fips.clone(),
        acreage: c.acreage,
        urban_area: c.urban_area,
        single_housing_unit: c.single_housing_unit,
        in_port: c.in_port,
        commercial_office: c.commercial_office,
    }
}

/// A deadline of the case, open or closed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExportedDeadline {
    /// `triage`, `screening`, `review`, `investigation`, …
    pub kind: String,
    /// What it is, for people.
    pub label: String,
    /// The day the period runs from.
    pub starts: NaiveDate,
    /// The last day.
    pub due: NaiveDate,
    /// Whether it is still running.
    pub open: bool,
}

impl From<&DeadlineRow> for ExportedDeadline {
    fn from(d: &DeadlineRow) -> Self {
        ExportedDeadline {
            kind: d.kind.clone(),
            label: d.label.clone(),
            starts: d.starts,
            due: d.due,
            open: d.is_open,
        }
    }
}

/// The facts and status of the exported case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExportedCase {
    /// The case id in the system it was exported from.
    pub id: i64,
    /// `CFN-YYYY-NNNNN`; every event is bound to it.
    pub reference: String,
    pub title: String,
    /// How the report reached the office.
    pub source: String,
    pub summary: String,
    pub transaction: TransactionJson,
    pub property: PropertyJson,
    /// The current state.
    pub state: String,
    /// How a closed case ended.
    pub outcome: Option<String>,
    /// When the current state took effect.
    pub state_since: NaiveDate,
    pub assignee: Option<String>,
    pub lead_agency: Option<String>,
    /// The day the report was logged.
    pub received_on: NaiveDate,
    /// Who logged it (none for a public tip).
    pub created_by: Option<String>,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub created_at: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub updated_at: String,
    pub version: i64,
    /// Since when the clocks are paused, if they are.
    pub tolled_since: Option<NaiveDate>,
    pub extension_used: bool,
    pub filing_number: i32,
    /// The risk score (T × V × C) and band, with a reviewer's overrides applied.
    pub risk_score: Option<i32>,
    pub risk_band: Option<String>,
}

/// A reviewer's decision on a watchlist hit.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExportedHitDecision {
    /// The party (its key or name).
    pub party: String,
    /// The watchlist entry's id.
    pub entry_id: i64,
    /// `confirmed` or `dismissed`.
    pub decision: String,
    pub rationale: String,
    pub decided_by: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub decided_at: String,
}

/// A decision taken on the case: a decision recorded with its conditions, or a closing move.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExportedDecision {
    /// The event that recorded it.
    pub seq: i64,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// Who took it.
    pub by: String,
    /// What was decided, in words ("Prohibit (presidential decision)", "Close: not covered").
    pub decision: String,
    /// For a closing move, the outcome.
    pub outcome: Option<String>,
    /// The day it took effect.
    pub effective: Option<String>,
    pub rationale: Option<String>,
}

/// A file attached to the case (the manifest: the content is not in the export).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExportedAttachment {
    pub id: i64,
    /// The file name as uploaded (shown, never used as a path).
    pub name: String,
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub uploaded_by: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub uploaded_at: String,
}

/// The state of the history when it was exported.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExportedChain {
    /// True when every event links to the one before and matches its hash.
    pub verified: bool,
    /// How many events the export holds.
    pub events: usize,
    /// The hash of the last event (when the chain verifies).
    pub head: Option<String>,
    /// Where the stored chain broke, when it did.
    pub broken: Option<String>,
}

/// One case as a self-contained, verifiable document (`cordon verify` checks it offline).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseExport {
    /// Always `cordon-case-export`.
    pub format: &'static str,
    /// The version of this document's layout.
    pub format_version: u32,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub exported_at: String,
    /// Who exported it.
    pub exported_by: String,
    pub case: ExportedCase,
    /// The parties, in the order given.
    pub parties: Vec<PartyJson>,
    /// The parties and their ownership as FollowTheMoney entities (Company, Person,
    /// LegalEntity, Ownership).
    #[schema(value_type = Vec<Object>)]
    pub ftm: Vec<super::ftm::Entity>,
    /// The latest screening (null before the first).
    #[schema(value_type = Object)]
    pub screening: Option<crate::domain::screening::Screening>,
    /// Reviewers' decisions on watchlist hits.
    pub hit_decisions: Vec<ExportedHitDecision>,
    /// Every deadline, open and closed.
    pub deadlines: Vec<ExportedDeadline>,
    /// Decisions and closing moves, oldest first.
    pub decisions: Vec<ExportedDecision>,
    /// Conditions of decisions.
    pub conditions: Vec<ConditionJson>,
    /// The attachment manifest.
    pub attachments: Vec<ExportedAttachment>,
    /// The history's verdict and head.
    pub chain: ExportedChain,
    /// Every event, oldest first, with its hashes.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<crate::domain::history::ChainedEvent>,
    /// The office's signature over the reference, the event count, the head and
    /// `exported_at` (`cordon verify --key` checks it against the office's published keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::domain::signing::ExportSignature>,
}
