//! A report as logged: parsed from form or JSON input into validated facts.
//!
//! [`RawReport`] holds the input as it came, from an HTML form ([`RawReport::from_pairs`]) or a
//! JSON body (serde, or [`RawReport::from_json`]). It never refuses anything: a wrong type
//! (`"lat": "abc"`, `"title": 5`, `"rights": "yes"`) is kept and becomes a field error in
//! [`parse`], which checks every field and returns every problem at once, keyed by the field's
//! dotted path (`property.lat`, `parties[2].country`), or the validated [`NewReport`].
//!
//! Pure: "today" is an argument.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::text::thousands;
use super::{countries, party, ValidationErrors};

/// The longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest summary, in characters.
pub const MAX_SUMMARY: usize = 20_000;
/// The longest intended use, in characters.
pub const MAX_INTENDED_USE: usize = 200;
/// The longest address, in characters.
pub const MAX_ADDRESS: usize = 300;
/// The longest party name, in characters.
pub const MAX_PARTY_NAME: usize = 200;
/// The longest party key, in characters.
pub const MAX_PARTY_KEY: usize = 32;
/// The most parties a report may name.
pub const MAX_PARTIES: usize = 50;
/// The largest transaction value, in US dollars (ten trillion).
pub const MAX_VALUE_USD: i64 = 10_000_000_000_000;
/// The largest power demand, in MW.
pub const MAX_POWER_MW: f64 = 100_000.0;
/// The largest acreage.
pub const MAX_ACREAGE: f64 = 10_000_000.0;
/// The postal codes `property.state` accepts: the 50 states, DC and the five inhabited
/// territories, sorted (names and FIPS codes in [`countries::STATES`]).
pub const US_STATES: &[&str] = &[
    "AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI", "IA", "ID",
    "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP", "MS", "MT", "NC", "ND",
    "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX",
    "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
];
/// The earliest transaction date accepted.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1950, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The earliest day a report may be received on.
pub const EARLIEST_RECEIVED: NaiveDate = match NaiveDate::from_ymd_opt(1975, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Enums stored as lower snake case text, with a label for people.
trait TextEnum: Copy + 'static {
    fn all() -> &'static [Self];
    fn text(self) -> &'static str;
}

macro_rules! text_enum {
    ($(#[$doc:meta])* $ty:ident { $($variant:ident => $text:literal, $label:literal;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $ty {
            $(#[doc = $label] $variant,)*
        }

        impl $ty {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            /// The stored and API form (lower snake case).
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }

            /// The form people read.
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),* }
            }
        }

        impl TextEnum for $ty {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn text(self) -> &'static str {
                self.as_str()
            }
        }

        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($ty::$variant),)*
                    other => Err(format!("unknown {}: {other:?}", stringify!($ty).to_lowercase())),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// How a report reached the office.
    Source {
        PublicTip => "public_tip", "Public tip";
        AgencyReferral => "agency_referral", "Agency referral";
        CompanyReport => "company_report", "Company report";
        Media => "media", "Media";
        PartyFiling => "party_filing", "Party filing";
        SelfDisclosure => "self_disclosure", "Self-disclosure";
        Other => "other", "Other";
    }
);

text_enum!(
    /// The kind of transaction.
    TxKind {
        Purchase => "purchase", "Purchase";
        Lease => "lease", "Lease";
        Concession => "concession", "Concession";
        BusinessAcquisition => "business_acquisition", "Business acquisition";
        Greenfield => "greenfield", "Greenfield";
    }
);

text_enum!(
    /// A party's part in the transaction.
    PartyRole {
        Acquirer => "acquirer", "Acquirer";
        Parent => "parent", "Parent";
        UltimateParent => "ultimate_parent", "Ultimate parent";
        Seller => "seller", "Seller";
        Affiliate => "affiliate", "Affiliate";
        Nominee => "nominee", "Nominee";
    }
);

text_enum!(
    /// The member agency leading a case.
    LeadAgency {
        Treasury => "treasury", "Treasury";
        Defense => "defense", "Defense";
        Justice => "justice", "Justice";
        HomelandSecurity => "homeland_security", "Homeland Security";
        Commerce => "commerce", "Commerce";
        State => "state", "State";
        Energy => "energy", "Energy";
        Ustr => "ustr", "USTR";
        Ostp => "ostp", "OSTP";
    }
);

// ---------------------------------------------------------------------------------------------
// Raw input
// ---------------------------------------------------------------------------------------------

/// One input value as it came: any JSON value, or the text of a form field (a checkbox is
/// `Bool`). `None` when absent or JSON `null`.
pub type RawValue = Option<Value>;

/// A report as submitted, not yet checked. Build it with [`RawReport::from_pairs`] (a form),
/// [`RawReport::from_json`] or serde (a JSON body, PRODUCT.md section 6); check it with
/// [`parse`]; put it back into a refused form with [`RawReport::value`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawReport {
    /// `received_on`.
    pub received_on: RawValue,
    /// `title`.
    pub title: RawValue,
    /// `source`.
    pub source: RawValue,
    /// `summary`.
    pub summary: RawValue,
    /// `transaction.*`.
    pub transaction: RawTransaction,
    /// `property.*`.
    pub property: RawProperty,
    /// `parties[i].*`: the parties given (blank form rows left out).
    pub parties: Vec<RawParty>,
    /// Paths where an object or a list was expected but something else came: `report` (the
    /// body), `transaction`, `transaction.rights`, `property`, `parties` or `parties[i]`.
    pub wrong_shape: Vec<String>,
}

/// `transaction.*` as submitted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawTransaction {
    /// `transaction.kind`.
    pub kind: RawValue,
    /// `transaction.date`.
    pub date: RawValue,
    /// `transaction.value_usd`.
    pub value_usd: RawValue,
    /// `transaction.rights.*`.
    pub rights: RawRights,
    /// `transaction.intended_use`.
    pub intended_use: RawValue,
    /// `transaction.power_mw`.
    pub power_mw: RawValue,
}

/// `transaction.rights.*` as submitted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawRights {
    /// `transaction.rights.access`.
    pub access: RawValue,
    /// `transaction.rights.exclude`.
    pub exclude: RawValue,
    /// `transaction.rights.improve`.
    pub improve: RawValue,
    /// `transaction.rights.affix`.
    pub affix: RawValue,
}

/// `property.*` as submitted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawProperty {
    /// `property.lat`.
    pub lat: RawValue,
    /// `property.lon`.
    pub lon: RawValue,
    /// `property.address`.
    pub address: RawValue,
    /// `property.state`.
    pub state: RawValue,
    /// `property.county_fips`.
    pub county_fips: RawValue,
    /// `property.acreage`.
    pub acreage: RawValue,
    /// `property.urban_area`.
    pub urban_area: RawValue,
    /// `property.single_housing_unit`.
    pub single_housing_unit: RawValue,
    /// `property.in_port`.
    pub in_port: RawValue,
    /// `property.commercial_office`.
    pub commercial_office: RawValue,
}

/// `parties[i].*` as submitted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawParty {
    /// `i`: the position in the JSON array or the form row number, used in field paths.
    pub index: usize,
    /// `key`; a form gives row `i` the key `p{i+1}`. When absent, `parse` uses `p{i+1}` too.
    pub key: RawValue,
    /// `name`.
    pub name: RawValue,
    /// `country`.
    pub country: RawValue,
    /// `role`.
    pub role: RawValue,
    /// `ownership_pct`.
    pub ownership_pct: RawValue,
    /// `owns`: the key of the party owned, or (as forms send it) that party's index `i`.
    pub owns: RawValue,
    /// `government_controlled`.
    pub government_controlled: RawValue,
    /// `state_owned`.
    pub state_owned: RawValue,
}

/// Whether a field is text, a number or a checkbox. Forms send all of them as text (a number
/// is read from its digits, a checkbox from its presence); a JSON body must give each as its
/// own JSON type (see [`RawReport::json_type_errors`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Date,
    Number,
    Check,
}

impl Kind {
    /// What is wrong with a JSON value given for a field of this kind, if anything.
    fn json_mismatch(self, value: &Value) -> Option<&'static str> {
        match self {
            Kind::Text if !value.is_string() => Some("Give this as text (a JSON string)."),
            Kind::Date if !value.is_string() => Some("Enter a date as YYYY-MM-DD (a JSON string)."),
            Kind::Number if !value.is_number() => {
                Some("Give this as a number (a JSON number, not text).")
            }
            Kind::Check if !value.is_boolean() => Some("Give true or false (a JSON boolean)."),
            _ => None,
        }
    }
}

macro_rules! field_slots {
    ($ty:ty { $($path:literal => $kind:ident, $($f:ident).+;)* }) => {
        impl $ty {
            /// Every field's path, with its kind.
            const FIELDS: &'static [(&'static str, Kind)] = &[$(($path, Kind::$kind)),*];

            fn slot(&self, path: &str) -> Option<(&RawValue, Kind)> {
                match path {
                    $($path => Some((&self.$($f).+, Kind::$kind)),)*
                    _ => None,
                }
            }

            fn slot_mut(&mut self, path: &str) -> Option<(&mut RawValue, Kind)> {
                match path {
                    $($path => Some((&mut self.$($f).+, Kind::$kind)),)*
                    _ => None,
                }
            }
        }
    };
}

field_slots!(RawReport {
    "received_on" => Date, received_on;
    "title" => Text, title;
    "source" => Text, source;
    "summary" => Text, summary;
    "transaction.kind" => Text, transaction.kind;
    "transaction.date" => Date, transaction.date;
    "transaction.value_usd" => Number, transaction.value_usd;
    "transaction.rights.access" => Check, transaction.rights.access;
    "transaction.rights.exclude" => Check, transaction.rights.exclude;
    "transaction.rights.improve" => Check, transaction.rights.improve;
    "transaction.rights.affix" => Check, transaction.rights.affix;
    "transaction.intended_use" => Text, transaction.intended_use;
    "transaction.power_mw" => Number, transaction.power_mw;
    "property.lat" => Number, property.lat;
    "property.lon" => Number, property.lon;
    "property.address" => Text, property.address;
    "property.state" => Text, property.state;
    "property.county_fips" => Text, property.county_fips;
    "property.acreage" => Number, property.acreage;
    "property.urban_area" => Check, property.urban_area;
    "property.single_housing_unit" => Check, property.single_housing_unit;
    "property.in_port" => Check, property.in_port;
    "property.commercial_office" => Check, property.commercial_office;
});

field_slots!(RawParty {
    "key" => Text, key;
    "name" => Text, name;
    "country" => Text, country;
    "role" => Text, role;
    "ownership_pct" => Number, ownership_pct;
    "owns" => Text, owns;
    "government_controlled" => Check, government_controlled;
    "state_owned" => Check, state_owned;
});

/// Splits `parties[3].name` into `(3, "name")`.
fn party_path(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("parties[")?;
    let (index, field) = rest.split_once("].")?;
    if index.is_empty() || index.len() > 4 || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((index.parse().ok()?, field))
}

/// Whether a present checkbox value means "ticked": anything but an explicit no.
fn ticked(value: &str) -> bool {
    let v = value.trim();
    !(v.is_empty()
        || v.eq_ignore_ascii_case("off")
        || v.eq_ignore_ascii_case("false")
        || v.eq_ignore_ascii_case("no")
        || v == "0")
}

fn store(slot: &mut RawValue, kind: Kind, value: &str) {
    match kind {
        // A checkbox may come twice (a hidden "off" and the box): ticked if any says so.
        Kind::Check => {
            let before = matches!(slot, Some(Value::Bool(true)));
            *slot = Some(Value::Bool(before || ticked(value)));
        }
        // Text: the first value of a name wins.
        Kind::Text | Kind::Date | Kind::Number => {
            if slot.is_none() {
                *slot = Some(Value::String(value.to_string()));
            }
        }
    }
}

/// The text to show for a value in a form input.
fn render(value: &RawValue, kind: Kind) -> String {
    match kind {
        Kind::Check => match flag(value) {
            Ok(true) => "on".into(),
            _ => String::new(),
        },
        Kind::Text | Kind::Date | Kind::Number => match value {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        },
    }
}

fn leaf(value: Option<Value>) -> RawValue {
    value.filter(|v| !v.is_null())
}

/// Takes an object out of `map[name]`; records `path` when something else is there.
fn object(
    map: &mut Map<String, Value>,
    name: &str,
    path: &str,
    wrong: &mut Vec<String>,
) -> Option<Map<String, Value>> {
    match map.remove(name) {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(_) => {
            wrong.push(path.to_string());
            None
        }
    }
}

impl RawParty {
    fn from_map(index: usize, mut m: Map<String, Value>) -> Self {
        RawParty {
            index,
            key: leaf(m.remove("key")),
            name: leaf(m.remove("name")),
            country: leaf(m.remove("country")),
            role: leaf(m.remove("role")),
            ownership_pct: leaf(m.remove("ownership_pct")),
            owns: leaf(m.remove("owns")),
            government_controlled: leaf(m.remove("government_controlled")),
            state_owned: leaf(m.remove("state_owned")),
        }
    }

    /// A form row left blank: no name, country or role.
    fn is_blank(&self) -> bool {
        [&self.name, &self.country, &self.role]
            .iter()
            .all(|v| match v {
                None => true,
                Some(Value::String(s)) => s.trim().is_empty(),
                Some(_) => false,
            })
    }
}

impl RawReport {
    /// The report from a JSON value shaped as in PRODUCT.md section 6. Unknown fields are
    /// ignored; wrong types are kept for [`parse`] to report. Of a longer `parties` list only
    /// the first `MAX_PARTIES + 1` entries are kept (enough for [`parse`] to refuse it).
    pub fn from_json(value: Value) -> RawReport {
        let mut r = RawReport::default();
        let Value::Object(mut m) = value else {
            r.wrong_shape.push("report".into());
            return r;
        };
        r.received_on = leaf(m.remove("received_on"));
        r.title = leaf(m.remove("title"));
        r.source = leaf(m.remove("source"));
        r.summary = leaf(m.remove("summary"));
        if let Some(mut t) = object(&mut m, "transaction", "transaction", &mut r.wrong_shape) {
            let tx = &mut r.transaction;
            tx.kind = leaf(t.remove("kind"));
            tx.date = leaf(t.remove("date"));
            tx.value_usd = leaf(t.remove("value_usd"));
            tx.intended_use = leaf(t.remove("intended_use"));
            tx.power_mw = leaf(t.remove("power_mw"));
            if let Some(mut rights) =
                object(&mut t, "rights", "transaction.rights", &mut r.wrong_shape)
            {
                tx.rights.access = leaf(rights.remove("access"));
                tx.rights.exclude = leaf(rights.remove("exclude"));
                tx.rights.improve = leaf(rights.remove("improve"));
                tx.rights.affix = leaf(rights.remove("affix"));
            }
        }
        if let Some(mut p) = object(&mut m, "property", "property", &mut r.wrong_shape) {
            let pr = &mut r.property;
            pr.lat = leaf(p.remove("lat"));
            pr.lon = leaf(p.remove("lon"));
            pr.address = leaf(p.remove("address"));
            pr.state = leaf(p.remove("state"));
            pr.county_fips = leaf(p.remove("county_fips"));
            pr.acreage = leaf(p.remove("acreage"));
            pr.urban_area = leaf(p.remove("urban_area"));
            pr.single_housing_unit = leaf(p.remove("single_housing_unit"));
            pr.in_port = leaf(p.remove("in_port"));
            pr.commercial_office = leaf(p.remove("commercial_office"));
        }
        match m.remove("parties") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                // One more than allowed is enough for `parse` to say there are too many.
                for (i, item) in items.into_iter().enumerate().take(MAX_PARTIES + 1) {
                    match item {
                        Value::Object(pm) => r.parties.push(RawParty::from_map(i, pm)),
                        _ => r.wrong_shape.push(format!("parties[{i}]")),
                    }
                }
            }
            Some(_) => r.wrong_shape.push("parties".into()),
        }
        r
    }

    /// The report from a submitted HTML form: `(name, value)` pairs whose names are the dotted
    /// paths (`property.lat`, `parties[0].name`). Checkboxes count as ticked when present
    /// (unless the value is "", "off", "false", "no" or "0"); for other fields the first value
    /// of a name wins; unknown names are ignored. A party row with no name, country and role is
    /// left out; row `i` gets the key `p{i+1}`, and its `owns` is the index of the owned row as
    /// text ("0" for the party `p1`).
    pub fn from_pairs(pairs: &[(String, String)]) -> RawReport {
        let mut r = RawReport::default();
        let mut rows: BTreeMap<usize, RawParty> = BTreeMap::new();
        for (name, value) in pairs {
            if let Some((index, field)) = party_path(name) {
                let row = rows.entry(index).or_insert_with(|| RawParty {
                    index,
                    ..RawParty::default()
                });
                if field != "key" {
                    if let Some((slot, kind)) = row.slot_mut(field) {
                        store(slot, kind, value);
                    }
                }
            } else if let Some((slot, kind)) = r.slot_mut(name) {
                store(slot, kind, value);
            }
        }
        r.parties = rows
            .into_values()
            .filter(|p| !p.is_blank())
            .map(|mut p| {
                p.key = Some(Value::String(format!("p{}", p.index + 1)));
                p
            })
            .collect();
        r
    }

    /// The raw text to put back into the form input for a field path (`title`,
    /// `property.lat`, `parties[1].owns`): exactly what was typed, "" when absent; "on" or ""
    /// for a checkbox.
    pub fn value(&self, field_path: &str) -> String {
        let slot = match party_path(field_path) {
            Some((index, field)) => self
                .parties
                .iter()
                .find(|p| p.index == index)
                .and_then(|p| p.slot(field)),
            None => self.slot(field_path),
        };
        slot.map(|(v, kind)| render(v, kind)).unwrap_or_default()
    }

    /// How many party rows a re-rendered form needs to show every party at its own index: one
    /// past the highest index given, 0 with no party. For JSON this is the number of parties; for
    /// a form, blank rows after the last filled one are not counted (blank rows before it are).
    pub fn party_count(&self) -> usize {
        self.parties
            .iter()
            .map(|p| p.index.saturating_add(1))
            .max()
            .unwrap_or(0)
    }
}

impl<'de> serde::Deserialize<'de> for RawReport {
    /// Accepts any JSON value: wrong shapes and types are left for [`parse`] to report.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(RawReport::from_json)
    }
}

// ---------------------------------------------------------------------------------------------
// Validated facts
// ---------------------------------------------------------------------------------------------

/// A report whose every field was checked by [`parse`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NewReport {
    /// The day the office received the report, from 1975-01-01 to today; `None` when not
    /// given (a new report is then received today, by the office's clock; an edit keeps the
    /// recorded day).
    pub received_on: Option<NaiveDate>,
    /// 1 to 200 characters, trimmed, no control characters.
    pub title: String,
    /// How the report reached the office.
    pub source: Source,
    /// Up to 20,000 characters, trimmed; line breaks kept.
    pub summary: String,
    /// The transaction.
    pub transaction: Transaction,
    /// The property.
    pub property: Property,
    /// 0 to 50 parties, with sound ownership links.
    pub parties: Vec<NewParty>,
}

/// The transaction reported.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Transaction {
    /// Purchase, lease, ….
    pub kind: TxKind,
    /// From 1950-01-01 to today.
    pub date: Option<NaiveDate>,
    /// 0 to ten trillion US dollars.
    pub value_usd: Option<i64>,
    /// The property rights conveyed.
    pub rights: Rights,
    /// Up to 200 characters, e.g. "cryptocurrency mining".
    pub intended_use: String,
    /// Power demand, 0 to 100,000 MW.
    pub power_mw: Option<f64>,
}

/// The four property rights of 31 CFR 802.212 the buyer or lessee gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Rights {
    /// To physically access the property.
    pub access: bool,
    /// To exclude others from it.
    pub exclude: bool,
    /// To improve or develop it.
    pub improve: bool,
    /// To attach fixed or immovable structures or objects.
    pub affix: bool,
}

impl Rights {
    /// How many of the four rights are held (the rights test needs at least 3).
    pub fn count(self) -> usize {
        [self.access, self.exclude, self.improve, self.affix]
            .into_iter()
            .filter(|&r| r)
            .count()
    }
}

/// The property concerned.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Property {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
    /// Up to 300 characters.
    pub address: String,
    /// A US state, DC or territory postal code, upper-case.
    pub state: Option<String>,
    /// The 5-digit county FIPS code, in `state` when both are given.
    pub county_fips: Option<String>,
    /// 0 to 10,000,000 acres.
    pub acreage: Option<f64>,
    /// Inside an urbanized area or urban cluster.
    pub urban_area: bool,
    /// A single housing unit.
    pub single_housing_unit: bool,
    /// Inside a port.
    pub in_port: bool,
    /// Commercial office space.
    pub commercial_office: bool,
}

/// A party to the transaction.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NewParty {
    /// Unique within the report, e.g. "p1".
    pub key: String,
    /// 1 to 200 characters.
    pub name: String,
    /// An ISO 3166-1 alpha-2 code, upper-case.
    pub country: String,
    /// Its part in the transaction.
    pub role: PartyRole,
    /// The share it holds in the party it owns, 0 to 100.
    pub ownership_pct: Option<f64>,
    /// The key of another party of the report that this one owns.
    pub owns: Option<String>,
    /// Controlled by a foreign government.
    pub government_controlled: bool,
    /// State-owned.
    pub state_owned: bool,
}

// ---------------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------------

/// Records `Err(message)` against `field`.
fn check<T>(e: &mut ValidationErrors, field: &str, r: Result<T, String>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(m) => {
            e.add(field, m);
            None
        }
    }
}

/// Trimmed text of at most `max` characters with no control characters (line breaks and tabs
/// allowed when `multiline`) and no direction overrides (`domain::text`); "" when absent. A
/// string longer than `4 * max` bytes is refused before its characters are looked at; otherwise
/// they are walked once.
fn text(value: &RawValue, max: usize, multiline: bool) -> Result<String, String> {
    let s = match value {
        None => return Ok(String::new()),
        Some(Value::String(s)) => s.trim(),
        Some(_) => return Err("Enter text.".into()),
    };
    let too_long = || format!("At most {} characters.", thousands(max as u64));
    if s.len() > max.saturating_mul(4) {
        return Err(too_long());
    }
    let mut count = 0usize;
    for c in s.chars() {
        count += 1;
        if count > max {
            return Err(too_long());
        }
        if super::text::is_refused(c, multiline) {
            return Err(super::text::refusal(c, multiline).into());
        }
    }
    Ok(s.to_string())
}

fn required_text(value: &RawValue, max: usize, missing: &str) -> Result<String, String> {
    let t = text(value, max, false)?;
    if t.is_empty() {
        Err(missing.to_string())
    } else {
        Ok(t)
    }
}

/// Short text for codes and numbers: trimmed, `None` when absent or empty, `Err` when not a
/// string or longer than `max` bytes.
fn short(value: &RawValue, max: usize) -> Result<Option<&str>, ()> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else if s.len() > max {
                Err(())
            } else {
                Ok(Some(s))
            }
        }
        Some(_) => Err(()),
    }
}

/// Removes thousands separators ("1,500,000"), refusing misplaced ones ("1,50,0").
fn without_separators(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains(',') {
        return Some(Cow::Borrowed(s));
    }
    let int = s.split_once('.').map_or(s, |(i, _)| i);
    let int = int.trim_start_matches(['-', '+']);
    let mut groups = int.split(',');
    let first = groups.next()?;
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return None;
    }
    if !groups.all(|g| g.len() == 3 && digits(g)) {
        return None;
    }
    Some(Cow::Owned(s.replace(',', "")))
}

/// A finite number from a JSON number or a numeric string; `None` when absent or empty.
fn number(value: &RawValue, separators: bool) -> Result<Option<f64>, ()> {
    if let Some(Value::Number(n)) = value {
        return n.as_f64().filter(|x| x.is_finite()).map(Some).ok_or(());
    }
    let Some(s) = short(value, 64)? else {
        return Ok(None);
    };
    let s = if separators {
        without_separators(s).ok_or(())?
    } else {
        Cow::Borrowed(s)
    };
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or(())
}

/// An optional number in `lo..=hi`, else `message`.
fn ranged(
    value: &RawValue,
    lo: f64,
    hi: f64,
    separators: bool,
    message: &str,
) -> Result<Option<f64>, String> {
    match number(value, separators) {
        Ok(None) => Ok(None),
        Ok(Some(x)) if (lo..=hi).contains(&x) => Ok(Some(x)),
        _ => Err(message.to_string()),
    }
}

/// A required number in `lo..=hi`, else `message`.
fn required_ranged(value: &RawValue, lo: f64, hi: f64, message: &str) -> Result<f64, String> {
    ranged(value, lo, hi, false, message)?.ok_or_else(|| message.to_string())
}

fn value_usd(value: &RawValue) -> Result<Option<i64>, String> {
    let message = || {
        format!(
            "Enter a whole number of US dollars from 0 to {}.",
            thousands(MAX_VALUE_USD.unsigned_abs())
        )
    };
    let in_range = |v: i64| (0..=MAX_VALUE_USD).contains(&v);
    let from_f64 = |x: f64| {
        if x.is_finite() && x.fract() == 0.0 && (0.0..=MAX_VALUE_USD as f64).contains(&x) {
            Some(x as i64)
        } else {
            None
        }
    };
    let parsed = match value {
        Some(Value::Number(n)) => n
            .as_i64()
            .filter(|&v| in_range(v))
            .or_else(|| n.as_f64().and_then(from_f64)),
        _ => match short(value, 64) {
            Ok(None) => return Ok(None),
            Err(()) => None,
            Ok(Some(s)) => {
                let s = s.strip_prefix('$').unwrap_or(s).trim_start();
                without_separators(s).and_then(|s| match s.parse::<i64>() {
                    Ok(v) => Some(v).filter(|&v| in_range(v)),
                    Err(_) => s.parse::<f64>().ok().and_then(from_f64),
                })
            }
        },
    };
    parsed.map(Some).ok_or_else(message)
}

fn date(value: &RawValue, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    day(value, today, "The transaction date", EARLIEST_DATE)
}

/// The day the office received the report (`received_on`).
fn received(value: &RawValue, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    day(value, today, "The received date", EARLIEST_RECEIVED)
}

/// A day as `YYYY-MM-DD`, from `earliest` to `today`; `what` names it in messages.
fn day(
    value: &RawValue,
    today: NaiveDate,
    what: &str,
    earliest: NaiveDate,
) -> Result<Option<NaiveDate>, String> {
    let bad = || "Enter a date as YYYY-MM-DD.".to_string();
    let Some(s) = short(value, 10).map_err(|()| bad())? else {
        return Ok(None);
    };
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(bad());
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad())?;
    if d > today {
        return Err(format!("{what} cannot be in the future."));
    }
    if d < earliest {
        return Err(format!("Enter a date from {earliest} on."));
    }
    Ok(Some(d))
}

/// A yes/no: JSON true/false (or 1/0), or "on", "true", "1", "yes" and "off", "false", "0",
/// "no", "" as text (any case). Absent is no.
fn flag(value: &RawValue) -> Result<bool, ()> {
    match value {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            _ => Err(()),
        },
        Some(Value::String(s)) => {
            let s = s.trim();
            let is = |w: &str| s.eq_ignore_ascii_case(w);
            if s.is_empty() || is("off") || is("false") || is("0") || is("no") {
                Ok(false)
            } else if is("on") || is("true") || is("1") || is("yes") {
                Ok(true)
            } else {
                Err(())
            }
        }
        Some(_) => Err(()),
    }
}

fn check_flag(e: &mut ValidationErrors, field: &str, value: &RawValue) -> Option<bool> {
    check(
        e,
        field,
        flag(value).map_err(|()| "Use true or false.".to_string()),
    )
}

/// One of an enum's values, given as its stored form or its label (any case, spaces or
/// hyphens for underscores).
fn choice<T: TextEnum>(value: &RawValue, missing: &str) -> Result<T, String> {
    let listed = || {
        let names: Vec<&str> = T::all().iter().map(|v| v.text()).collect();
        format!("Choose one of: {}.", names.join(", "))
    };
    let s = match short(value, 64) {
        Ok(None) => return Err(missing.to_string()),
        Ok(Some(s)) => s,
        Err(()) => return Err(listed()),
    };
    let normal: String = s
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    T::all()
        .iter()
        .copied()
        .find(|v| v.text() == normal)
        .ok_or_else(listed)
}

fn us_state(value: &RawValue) -> Result<Option<&'static countries::UsState>, String> {
    let bad = || "Use a two-letter US state or territory code such as WY or DC.".to_string();
    match short(value, 8).map_err(|()| bad())? {
        None => Ok(None),
        Some(s) => countries::us_state(s).map(Some).ok_or_else(bad),
    }
}

fn county_fips(value: &RawValue) -> Result<Option<String>, String> {
    let bad = || "Enter the 5-digit county FIPS code, such as 56021.".to_string();
    let owned;
    let s = match value {
        Some(Value::Number(n)) => {
            owned = n.to_string();
            owned.as_str()
        }
        _ => match short(value, 16).map_err(|()| bad())? {
            None => return Ok(None),
            Some(s) => s,
        },
    };
    let known_state = s.get(..2).and_then(countries::us_state_by_fips).is_some();
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) && known_state {
        Ok(Some(s.to_string()))
    } else {
        Err(bad())
    }
}

fn country(value: &RawValue) -> Result<String, String> {
    let bad = || "Use a two-letter ISO country code such as CN or VG.".to_string();
    match short(value, 8).map_err(|()| bad())? {
        Some(s) if countries::is_country(s) => Ok(s.to_ascii_uppercase()),
        _ => Err(bad()),
    }
}

fn party_key(value: &RawValue, index: usize) -> Result<String, String> {
    let bad = || {
        format!(
            "Use a key of up to {MAX_PARTY_KEY} letters, digits, '-' or '_', such as p{}.",
            index + 1
        )
    };
    match value {
        Some(Value::Number(n)) if n.is_u64() => Ok(n.to_string()),
        _ => match short(value, MAX_PARTY_KEY).map_err(|()| bad())? {
            None => Ok(format!("p{}", index + 1)),
            Some(s)
                if s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
            {
                Ok(s.to_string())
            }
            Some(_) => Err(bad()),
        },
    }
}

/// The text of `owns`: a key, or an index (a number or digits, as forms send it).
fn owns_text(value: &RawValue) -> Result<Option<String>, String> {
    match value {
        Some(Value::Number(n)) if n.is_u64() => Ok(Some(n.to_string())),
        _ => short(value, 64)
            .map(|o| o.map(str::to_string))
            .map_err(|()| "Choose a party of this report.".to_string()),
    }
}

/// What chain checking needs of a party still being parsed.
struct Draft {
    key: String,
    owns: Option<String>,
    name: String,
}

impl party::Link for Draft {
    fn key(&self) -> &str {
        &self.key
    }
    fn owns(&self) -> Option<&str> {
        self.owns.as_deref()
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn country(&self) -> &str {
        ""
    }
    fn ownership_pct(&self) -> Option<f64> {
        None
    }
}

fn parse_parties(raw: &[RawParty], e: &mut ValidationErrors) -> Option<Vec<NewParty>> {
    let field = |p: &RawParty, name: &str| format!("parties[{}].{name}", p.index);

    // Keys first: `owns` may name any of them.
    let keys: Vec<Option<String>> = raw
        .iter()
        .map(|p| check(e, &field(p, "key"), party_key(&p.key, p.index)))
        .collect();
    let key_of_index = |n: usize| {
        raw.iter()
            .zip(&keys)
            .find(|(p, _)| p.index == n)
            .and_then(|(_, k)| k.clone())
    };
    let resolve = |text: String| -> String {
        if keys.iter().flatten().any(|k| *k == text) {
            return text;
        }
        let index = (text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<usize>().ok())
            .flatten();
        index.and_then(key_of_index).unwrap_or(text)
    };

    let mut drafts = Vec::with_capacity(raw.len());
    let mut parsed = Vec::with_capacity(raw.len());
    for (p, key) in raw.iter().zip(&keys) {
        let name = check(
            e,
            &field(p, "name"),
            required_text(&p.name, MAX_PARTY_NAME, "Enter the party's name."),
        );
        let country = check(e, &field(p, "country"), country(&p.country));
        let role = check(
            e,
            &field(p, "role"),
            choice::<PartyRole>(&p.role, "Choose the party's role."),
        );
        let pct = check(
            e,
            &field(p, "ownership_pct"),
            ranged(
                &p.ownership_pct,
                0.0,
                100.0,
                false,
                "Enter a percentage between 0 and 100.",
            ),
        );
        let owns = check(e, &field(p, "owns"), owns_text(&p.owns)).map(|o| o.map(&resolve));
        let government = check_flag(
            e,
            &field(p, "government_controlled"),
            &p.government_controlled,
        );
        let state_owned = check_flag(e, &field(p, "state_owned"), &p.state_owned);

        drafts.push(Draft {
            key: key.clone().unwrap_or_else(|| match &p.key {
                Some(Value::String(s)) => s.trim().to_string(),
                _ => format!("#{}", p.index),
            }),
            owns: owns.clone().flatten(),
            name: name.clone().unwrap_or_default(),
        });
        parsed.push((|| {
            Some(NewParty {
                key: key.clone()?,
                name: name?,
                country: country?,
                role: role?,
                ownership_pct: pct?,
                owns: owns?,
                government_controlled: government?,
                state_owned: state_owned?,
            })
        })());
    }

    for problem in party::check(&drafts) {
        if let Some(p) = raw.get(problem.position) {
            e.add(&field(p, problem.field.as_str()), problem.message);
        }
    }
    parsed.into_iter().collect()
}

fn shape_message(path: &str) -> &'static str {
    match path {
        "report" => "Send the report as a JSON object.",
        "transaction" => "Send the transaction as an object.",
        "transaction.rights" => {
            "Send the rights as an object with access, exclude, improve and affix."
        }
        "property" => "Send the property as an object.",
        "parties" => "Send the parties as a list.",
        _ => "Send each party as an object.",
    }
}

fn parse_transaction(
    t: &RawTransaction,
    today: NaiveDate,
    e: &mut ValidationErrors,
) -> Option<Transaction> {
    let kind = check(
        e,
        "transaction.kind",
        choice::<TxKind>(&t.kind, "Choose the kind of transaction."),
    );
    let date = check(e, "transaction.date", date(&t.date, today));
    let value = check(e, "transaction.value_usd", value_usd(&t.value_usd));
    let access = check_flag(e, "transaction.rights.access", &t.rights.access);
    let exclude = check_flag(e, "transaction.rights.exclude", &t.rights.exclude);
    let improve = check_flag(e, "transaction.rights.improve", &t.rights.improve);
    let affix = check_flag(e, "transaction.rights.affix", &t.rights.affix);
    let intended_use = check(
        e,
        "transaction.intended_use",
        text(&t.intended_use, MAX_INTENDED_USE, false),
    );
    let power_mw = check(
        e,
        "transaction.power_mw",
        ranged(
            &t.power_mw,
            0.0,
            MAX_POWER_MW,
            true,
            "Enter a power demand between 0 and 100,000 MW.",
        ),
    );
    Some(Transaction {
        kind: kind?,
        date: date?,
        value_usd: value?,
        rights: Rights {
            access: access?,
            exclude: exclude?,
            improve: improve?,
            affix: affix?,
        },
        intended_use: intended_use?,
        power_mw: power_mw?,
    })
}

fn parse_property(p: &RawProperty, e: &mut ValidationErrors) -> Option<Property> {
    let lat = check(
        e,
        "property.lat",
        required_ranged(&p.lat, -90.0, 90.0, "Enter a latitude between -90 and 90."),
    );
    let lon = check(
        e,
        "property.lon",
        required_ranged(
            &p.lon,
            -180.0,
            180.0,
            "Enter a longitude between -180 and 180.",
        ),
    );
    let address = check(e, "property.address", text(&p.address, MAX_ADDRESS, true));
    let state = check(e, "property.state", us_state(&p.state));
    let mut county = check(e, "property.county_fips", county_fips(&p.county_fips));
    if let (Some(Some(st)), Some(Some(fips))) = (state, &county) {
        if let Some(in_state) = fips.get(..2).and_then(countries::us_state_by_fips) {
            if in_state.code != st.code {
                e.add(
                    "property.county_fips",
                    format!("County {fips} is in {}, not {}.", in_state.name, st.name),
                );
                county = None;
            }
        }
    }
    let acreage = check(
        e,
        "property.acreage",
        ranged(
            &p.acreage,
            0.0,
            MAX_ACREAGE,
            true,
            "Enter an acreage between 0 and 10,000,000.",
        ),
    );
    let urban_area = check_flag(e, "property.urban_area", &p.urban_area);
    let single = check_flag(e, "property.single_housing_unit", &p.single_housing_unit);
    let in_port = check_flag(e, "property.in_port", &p.in_port);
    let office = check_flag(e, "property.commercial_office", &p.commercial_office);
    Some(Property {
        lat: lat?,
        lon: lon?,
        address: address?,
        state: state?.map(|s| s.code.to_string()),
        county_fips: county?,
        acreage: acreage?,
        urban_area: urban_area?,
        single_housing_unit: single?,
        in_port: in_port?,
        commercial_office: office?,
    })
}

/// Checks a raw report against every rule of PRODUCT.md section 4 and the limits above,
/// including the ownership links ([`party::check`]). Returns the validated report, or every
/// problem at once keyed by field path (`title`, `transaction.date`, `property.lat`,
/// `parties[2].country`, `parties[1].owns`, `parties`; JSON parties by array index, form
/// parties by row). `today` bounds the transaction date.
pub fn parse(raw: &RawReport, today: NaiveDate) -> Result<NewReport, ValidationErrors> {
    let mut e = ValidationErrors::new();
    for path in &raw.wrong_shape {
        e.add(path, shape_message(path));
    }
    let received_on = check(&mut e, "received_on", received(&raw.received_on, today));
    let title = check(
        &mut e,
        "title",
        required_text(&raw.title, MAX_TITLE, "Enter a title."),
    );
    let source = check(
        &mut e,
        "source",
        choice::<Source>(&raw.source, "Choose a source."),
    );
    let summary = check(&mut e, "summary", text(&raw.summary, MAX_SUMMARY, true));
    let transaction = parse_transaction(&raw.transaction, today, &mut e);
    let property = parse_property(&raw.property, &mut e);
    let given = raw.parties.len()
        + raw
            .wrong_shape
            .iter()
            .filter(|p| p.starts_with("parties["))
            .count();
    let parties = if given > MAX_PARTIES {
        e.add("parties", format!("At most {MAX_PARTIES} parties."));
        None
    } else {
        parse_parties(&raw.parties, &mut e)
    };
    let report = (|| {
        Some(NewReport {
            received_on: received_on?,
            title: title?,
            source: source?,
            summary: summary?,
            transaction: transaction?,
            property: property?,
            parties: parties?,
        })
    })();
    match report {
        Some(r) if e.is_empty() => Ok(r),
        _ => Err(e),
    }
}

/// [`parse`] for a JSON body (the API, a line of a JSON Lines import), which must also give
/// every field as its own JSON type: `"lat": "41.17"`, `"access": "yes"` or `"access": 1`
/// are refused here, though a form may send them so. Every problem is listed at once.
pub fn parse_json(raw: &RawReport, today: NaiveDate) -> Result<NewReport, ValidationErrors> {
    let mut e = raw.json_type_errors();
    match parse(raw, today) {
        Ok(r) if e.is_empty() => Ok(r),
        Ok(_) => Err(e),
        Err(more) => {
            for (field, message) in more.iter() {
                e.add(field, message);
            }
            Err(e)
        }
    }
}

impl RawReport {
    /// The fields of a JSON body given with the wrong JSON type, each named by its path.
    pub fn json_type_errors(&self) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        for (path, _) in RawReport::FIELDS {
            if let Some((Some(value), kind)) = self.slot(path) {
                if let Some(message) = kind.json_mismatch(value) {
                    e.add(path, message);
                }
            }
        }
        for party in &self.parties {
            for (field, _) in RawParty::FIELDS {
                if let Some((Some(value), kind)) = party.slot(field) {
                    if let Some(message) = kind.json_mismatch(value) {
                        e.add(&format!("parties[{}].{field}", party.index), message);
                    }
                }
            }
        }
        e
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::party::{chain_of, depth, foreign_countries, ultimate_owners};
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    const MINEONE: &str = r#"{
      "title": "Crypto mine next to F.E. Warren AFB",
      "source": "company_report",
      "summary": "Report of a PRC-linked Bitcoin mine on a 12-acre lot north of the base.",
      "transaction": {"kind": "purchase", "date": "2022-06-15", "value_usd": 1500000,
                      "rights": {"access": true, "exclude": true, "improve": true, "affix": true},
                      "intended_use": "cryptocurrency mining", "power_mw": 75},
      "property": {"lat": 41.17, "lon": -104.85, "address": "North Range Business Park, Cheyenne",
                   "state": "WY", "county_fips": "56021", "acreage": 12,
                   "urban_area": false, "single_housing_unit": false, "in_port": false,
                   "commercial_office": false},
      "parties": [
        {"key": "p1", "name": "MineOne Wyoming Data Center LLC", "country": "US", "role": "acquirer"},
        {"key": "p2", "name": "MineOne Partners Ltd", "country": "VG", "role": "parent",
         "owns": "p1", "ownership_pct": 100},
        {"key": "p3", "name": "PRC nationals (undisclosed)", "country": "CN", "role": "ultimate_parent",
         "owns": "p2", "ownership_pct": 51, "government_controlled": false}
      ]
    }"#;

    fn mineone() -> Value {
        serde_json::from_str(MINEONE).unwrap()
    }

    fn raw(v: Value) -> RawReport {
        serde_json::from_value(v).unwrap()
    }

    fn errors(v: Value) -> ValidationErrors {
        parse(&raw(v), today()).unwrap_err()
    }

    fn fields(e: &ValidationErrors) -> Vec<&str> {
        e.iter().map(|(k, _)| k).collect()
    }

    /// MineOne with one leaf replaced: `at` is a JSON pointer.
    fn mineone_with(at: &str, value: Value) -> Value {
        let mut v = mineone();
        *v.pointer_mut(at).unwrap() = value;
        v
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn mineone_example_parses() {
        let r: RawReport = serde_json::from_str(MINEONE).unwrap();
        let report = parse(&r, today()).unwrap();
        assert_eq!(report.title, "Crypto mine next to F.E. Warren AFB");
        assert_eq!(report.source, Source::CompanyReport);
        assert_eq!(report.transaction.kind, TxKind::Purchase);
        assert_eq!(
            report.transaction.date,
            NaiveDate::from_ymd_opt(2022, 6, 15)
        );
        assert_eq!(report.transaction.value_usd, Some(1_500_000));
        assert_eq!(report.transaction.rights.count(), 4);
        assert_eq!(report.transaction.intended_use, "cryptocurrency mining");
        assert_eq!(report.transaction.power_mw, Some(75.0));
        assert_eq!(report.property.lat, 41.17);
        assert_eq!(report.property.lon, -104.85);
        assert_eq!(report.property.state.as_deref(), Some("WY"));
        assert_eq!(report.property.county_fips.as_deref(), Some("56021"));
        assert_eq!(report.property.acreage, Some(12.0));
        assert!(!report.property.urban_area && !report.property.in_port);

        let ps = &report.parties;
        assert_eq!(ps.len(), 3);
        assert_eq!(ps[0].role, PartyRole::Acquirer);
        assert_eq!(ps[1].owns.as_deref(), Some("p1"));
        assert_eq!(ps[2].role, PartyRole::UltimateParent);
        assert_eq!(ps[2].ownership_pct, Some(51.0));
        let keys = |v: Vec<&NewParty>| v.iter().map(|p| p.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(ultimate_owners(ps)), ["p3"]);
        assert_eq!(keys(chain_of(ps, "p1")), ["p1", "p2", "p3"]);
        assert_eq!(foreign_countries(ps), ["CN", "VG"]);
        assert_eq!(depth(ps), 3);
    }

    #[test]
    fn optional_fields_may_be_left_out() {
        let v = json!({"title": "Lot near a base", "source": "media",
            "transaction": {"kind": "lease"}, "property": {"lat": 41, "lon": -104},
            "unknown": {"ignored": true}});
        let report = parse(&raw(v), today()).unwrap();
        assert_eq!(report.summary, "");
        assert_eq!(report.transaction.date, None);
        assert_eq!(report.transaction.rights, Rights::default());
        assert_eq!(report.property.state, None);
        assert!(report.parties.is_empty());
    }

    #[test]
    fn missing_required_fields_all_reported() {
        let e = errors(json!({}));
        assert_eq!(
            fields(&e),
            [
                "property.lat",
                "property.lon",
                "source",
                "title",
                "transaction.kind"
            ]
        );
        assert_eq!(e.get("title"), "Enter a title.");
        assert_eq!(e.get("source"), "Choose a source.");
        assert_eq!(
            e.get("property.lat"),
            "Enter a latitude between -90 and 90."
        );
    }

    #[test]
    fn wrong_types_give_one_error_per_field() {
        let v = json!({
            "title": 5, "source": [], "summary": {"a": 1},
            "transaction": {"kind": 3, "date": 20220615, "value_usd": "lots",
                            "rights": "yes", "intended_use": false, "power_mw": "x"},
            "property": {"lat": "abc", "lon": true, "address": 7, "state": 56,
                         "county_fips": "5602", "acreage": "-1", "urban_area": "maybe",
                         "in_port": [true]},
            "parties": [
                {"name": 1, "country": "China", "role": "boss", "ownership_pct": "200",
                 "owns": {}, "state_owned": "perhaps", "key": "p 1"},
                5
            ]
        });
        let e = errors(v);
        assert_eq!(
            fields(&e),
            [
                "parties[0].country",
                "parties[0].key",
                "parties[0].name",
                "parties[0].ownership_pct",
                "parties[0].owns",
                "parties[0].role",
                "parties[0].state_owned",
                "parties[1]",
                "property.acreage",
                "property.address",
                "property.county_fips",
                "property.in_port",
                "property.lat",
                "property.lon",
                "property.state",
                "property.urban_area",
                "source",
                "summary",
                "title",
                "transaction.date",
                "transaction.intended_use",
                "transaction.kind",
                "transaction.power_mw",
                "transaction.rights",
                "transaction.value_usd",
            ]
        );
        assert_eq!(e.get("title"), "Enter text.");
        assert_eq!(
            e.get("parties[0].country"),
            "Use a two-letter ISO country code such as CN or VG."
        );
        assert_eq!(
            e.get("source"),
            "Choose one of: public_tip, agency_referral, company_report, media, party_filing, \
             self_disclosure, other."
        );
        assert_eq!(e.get("transaction.date"), "Enter a date as YYYY-MM-DD.");
        assert_eq!(e.get("property.urban_area"), "Use true or false.");
        assert_eq!(e.get("parties[1]"), "Send each party as an object.");
    }

    #[test]
    fn any_json_deserializes() {
        for text in [
            "[]",
            "5",
            "null",
            "\"x\"",
            r#"{"transaction": "x", "property": [], "parties": {"a": 1}}"#,
            r#"{"title": "a", "title": "b"}"#,
        ] {
            let r: RawReport = serde_json::from_str(text).unwrap();
            assert!(parse(&r, today()).is_err(), "{text}");
        }
        let e = errors(json!([1, 2]));
        assert_eq!(e.get("report"), "Send the report as a JSON object.");
        let e = errors(json!({"transaction": "x", "property": 1, "parties": "none"}));
        assert!(e.has("transaction") && e.has("property") && e.has("parties"));
        assert!(e.has("transaction.kind") && e.has("property.lat"));
    }

    #[test]
    fn latitude_and_longitude_ranges() {
        for (at, bad) in [
            ("/property/lat", json!(90.5)),
            ("/property/lat", json!(-91)),
            ("/property/lat", json!("NaN")),
            ("/property/lat", json!("inf")),
            ("/property/lat", json!("")),
            ("/property/lon", json!(180.01)),
            ("/property/lon", json!("-181")),
            ("/property/lon", json!("1e400")),
        ] {
            let e = errors(mineone_with(at, bad.clone()));
            assert_eq!(e.iter().count(), 1, "{at} {bad}");
        }
        let e = errors(mineone_with("/property/lat", json!(100)));
        assert_eq!(
            e.get("property.lat"),
            "Enter a latitude between -90 and 90."
        );
        let e = errors(mineone_with("/property/lon", json!(200)));
        assert_eq!(
            e.get("property.lon"),
            "Enter a longitude between -180 and 180."
        );
        let mut v = mineone_with("/property/lat", json!("-90"));
        *v.pointer_mut("/property/lon").unwrap() = json!(" 180 ");
        let r = parse(&raw(v), today()).unwrap();
        assert_eq!((r.property.lat, r.property.lon), (-90.0, 180.0));
    }

    #[test]
    fn transaction_dates() {
        let at = "/transaction/date";
        let e = errors(mineone_with(at, json!("2026-03-02")));
        assert_eq!(
            e.get("transaction.date"),
            "The transaction date cannot be in the future."
        );
        let e = errors(mineone_with(at, json!("1949-12-31")));
        assert_eq!(
            e.get("transaction.date"),
            "Enter a date from 1950-01-01 on."
        );
        for bad in [
            "2022-6-15",
            "15/06/2022",
            "2022-02-30",
            "2022-06-15T00:00",
            "yesterday",
        ] {
            let e = errors(mineone_with(at, json!(bad)));
            assert_eq!(
                e.get("transaction.date"),
                "Enter a date as YYYY-MM-DD.",
                "{bad}"
            );
        }
        let r = parse(&raw(mineone_with(at, json!("2026-03-01"))), today()).unwrap();
        assert_eq!(r.transaction.date, Some(today()));
        let r = parse(&raw(mineone_with(at, json!(" "))), today()).unwrap();
        assert_eq!(r.transaction.date, None);
    }

    #[test]
    fn received_dates() {
        let with = |v: Value| {
            let mut m = mineone();
            m["received_on"] = v;
            m
        };
        let e = errors(with(json!("2026-03-02")));
        assert_eq!(
            e.get("received_on"),
            "The received date cannot be in the future."
        );
        let e = errors(with(json!("1974-12-31")));
        assert_eq!(e.get("received_on"), "Enter a date from 1975-01-01 on.");
        for bad in [
            json!("2022-8-22"),
            json!("22/08/2022"),
            json!(20220822),
            json!(true),
        ] {
            let e = errors(with(bad.clone()));
            assert_eq!(e.get("received_on"), "Enter a date as YYYY-MM-DD.", "{bad}");
        }
        // Absent, null or blank: not given (the service uses today, or keeps an edit's day).
        assert_eq!(parse(&raw(mineone()), today()).unwrap().received_on, None);
        for blank in [json!(null), json!(""), json!("  ")] {
            let r = parse(&raw(with(blank)), today()).unwrap();
            assert_eq!(r.received_on, None);
        }
        for given in ["1975-01-01", "2022-08-22", "2026-03-01"] {
            let r = parse(&raw(with(json!(given))), today()).unwrap();
            assert_eq!(r.received_on.map(|d| d.to_string()).as_deref(), Some(given));
        }
        // A form sends it as text, and a refused form gives it back as typed.
        let pairs = vec![("received_on".to_string(), "2022-13-01".to_string())];
        let raw_form = RawReport::from_pairs(&pairs);
        assert_eq!(raw_form.value("received_on"), "2022-13-01");
        assert_eq!(
            parse(&raw_form, today()).unwrap_err().get("received_on"),
            "Enter a date as YYYY-MM-DD."
        );
    }

    #[test]
    fn party_countries() {
        let at = "/parties/2/country";
        for bad in ["China", "XX", "UK", "", "C"] {
            let e = errors(mineone_with(at, json!(bad)));
            assert_eq!(fields(&e), ["parties[2].country"], "{bad}");
        }
        let r = parse(&raw(mineone_with(at, json!(" cn "))), today()).unwrap();
        assert_eq!(r.parties[2].country, "CN");
    }

    #[test]
    fn ownership_cycle_is_a_field_error_with_the_others() {
        let mut v = mineone();
        v["parties"][0]["owns"] = json!("p2");
        v["parties"].as_array_mut().unwrap().truncate(2);
        *v.pointer_mut("/property/lat").unwrap() = json!(95);
        let e = errors(v);
        assert_eq!(
            fields(&e),
            ["parties[0].owns", "parties[1].owns", "property.lat"]
        );
        assert_eq!(
            e.get("parties[0].owns"),
            "Ownership loop: MineOne Wyoming Data Center LLC owns MineOne Partners Ltd, \
             which owns MineOne Wyoming Data Center LLC."
        );
    }

    #[test]
    fn dangling_and_self_ownership() {
        let e = errors(mineone_with("/parties/2/owns", json!("p9")));
        assert_eq!(e.get("parties[2].owns"), "Choose a party of this report.");
        let e = errors(mineone_with("/parties/2/owns", json!("p3")));
        assert_eq!(e.get("parties[2].owns"), "A party cannot own itself.");
        let e = errors(mineone_with("/parties/2/key", json!("p2")));
        assert_eq!(
            e.get("parties[2].key"),
            "Another party of this report already uses this key."
        );
    }

    #[test]
    fn party_keys_default_and_owns_may_be_an_index() {
        let v = json!({"title": "t", "source": "other", "transaction": {"kind": "purchase"},
        "property": {"lat": 1, "lon": 2},
        "parties": [
            {"name": "Buyer", "country": "US", "role": "acquirer"},
            {"name": "Parent", "country": "KY", "role": "parent", "owns": 0},
            {"name": "Top", "country": "CN", "role": "ultimate_parent", "owns": "p2"}
        ]});
        let r = parse(&raw(v), today()).unwrap();
        let keys: Vec<&str> = r.parties.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["p1", "p2", "p3"]);
        assert_eq!(r.parties[1].owns.as_deref(), Some("p1"));
        assert_eq!(chain_of(&r.parties, "p1").len(), 3);
    }

    #[test]
    fn chains_deeper_than_ten_are_refused() {
        let parties: Vec<Value> = (0..12)
            .map(|i| {
                json!({"key": format!("k{i}"), "name": format!("Co {i}"), "country": "US",
                       "role": "affiliate",
                       "owns": if i == 0 { Value::Null } else { json!(format!("k{}", i - 1)) }})
            })
            .collect();
        let e = errors(mineone_with("/parties", Value::Array(parties)));
        assert_eq!(fields(&e), ["parties[10].owns"]);
    }

    #[test]
    fn at_most_fifty_parties() {
        let party = json!({"name": "Co", "country": "US", "role": "affiliate"});
        let e = errors(mineone_with(
            "/parties",
            Value::Array(vec![party.clone(); 51]),
        ));
        assert_eq!(fields(&e), ["parties"]);
        assert_eq!(e.get("parties"), "At most 50 parties.");
        let r = raw(mineone_with(
            "/parties",
            Value::Array(vec![json!(1); 100_000]),
        ));
        assert_eq!(r.wrong_shape.len(), MAX_PARTIES + 1);
        let e = parse(&r, today()).unwrap_err();
        assert_eq!(e.get("parties"), "At most 50 parties.");
        assert_eq!(e.iter().count(), MAX_PARTIES + 2);
        assert!(parse(
            &raw(mineone_with("/parties", Value::Array(vec![party; 50]))),
            today()
        )
        .is_ok());
    }

    #[test]
    fn a_ten_megabyte_title_is_refused_quickly() {
        let huge = "x".repeat(10 * 1024 * 1024);
        let e = errors(mineone_with("/title", json!(huge)));
        assert_eq!(fields(&e), ["title"]);
        assert_eq!(e.get("title"), "At most 200 characters.");
        // Multi-byte characters count as one each.
        let ok = "é".repeat(200);
        assert_eq!(
            parse(&raw(mineone_with("/title", json!(ok))), today())
                .unwrap()
                .title
                .chars()
                .count(),
            200
        );
        let e = errors(mineone_with("/title", json!("é".repeat(201))));
        assert_eq!(e.get("title"), "At most 200 characters.");
        let e = errors(mineone_with("/summary", json!("s".repeat(20_001))));
        assert_eq!(e.get("summary"), "At most 20,000 characters.");
    }

    #[test]
    fn markup_passes_control_characters_do_not() {
        let title = "<script>alert('x')</script> & \"quotes\"";
        let r = parse(&raw(mineone_with("/title", json!(title))), today()).unwrap();
        assert_eq!(r.title, title);
        for bad in [
            "bell\u{7}",
            "tab\there",
            "line\nbreak",
            "nul\u{0}",
            "c1\u{85}x",
        ] {
            let e = errors(mineone_with("/title", json!(bad)));
            assert!(
                e.get("title").starts_with("Remove the control characters"),
                "{bad:?}"
            );
        }
        let e = errors(mineone_with("/parties/0/name", json!("A\u{1b}[31mB")));
        assert!(e.has("parties[0].name"));
        let r = parse(
            &raw(mineone_with("/summary", json!("one\r\ntwo\tthree"))),
            today(),
        )
        .unwrap();
        assert_eq!(r.summary, "one\r\ntwo\tthree");
        assert!(errors(mineone_with("/summary", json!("x\u{0}"))).has("summary"));
        let r = parse(&raw(mineone_with("/title", json!("  padded  "))), today()).unwrap();
        assert_eq!(r.title, "padded");
        assert_eq!(
            errors(mineone_with("/title", json!("   "))).get("title"),
            "Enter a title."
        );
    }

    #[test]
    fn dollar_values() {
        let at = "/transaction/value_usd";
        for (input, want) in [
            (json!("1500000"), 1_500_000),
            (json!("1,500,000"), 1_500_000),
            (json!("$1,500,000"), 1_500_000),
            (json!(" 0 "), 0),
            (json!(1.5e6), 1_500_000),
            (json!("2500000.00"), 2_500_000),
            (json!(10_000_000_000_000_i64), MAX_VALUE_USD),
        ] {
            let r = parse(&raw(mineone_with(at, input.clone())), today()).unwrap();
            assert_eq!(r.transaction.value_usd, Some(want), "{input}");
        }
        for bad in [
            json!("1,50,000"),
            json!("-1"),
            json!(-5),
            json!(10_000_000_000_001_i64),
            json!("12.5"),
            json!(1e300),
            json!("1.5 million"),
            json!(true),
        ] {
            let e = errors(mineone_with(at, bad.clone()));
            assert_eq!(
                e.get("transaction.value_usd"),
                "Enter a whole number of US dollars from 0 to 10,000,000,000,000.",
                "{bad}"
            );
        }
    }

    #[test]
    fn other_numbers() {
        let r = parse(
            &raw(mineone_with("/property/acreage", json!("1,200.5"))),
            today(),
        )
        .unwrap();
        assert_eq!(r.property.acreage, Some(1200.5));
        let r = parse(
            &raw(mineone_with("/transaction/power_mw", json!("0"))),
            today(),
        )
        .unwrap();
        assert_eq!(r.transaction.power_mw, Some(0.0));
        assert!(
            errors(mineone_with("/transaction/power_mw", json!(100_001)))
                .has("transaction.power_mw")
        );
        assert!(errors(mineone_with("/property/acreage", json!(-0.5))).has("property.acreage"));
        let e = errors(mineone_with("/parties/1/ownership_pct", json!(100.5)));
        assert_eq!(
            e.get("parties[1].ownership_pct"),
            "Enter a percentage between 0 and 100."
        );
    }

    #[test]
    fn booleans() {
        let at = "/transaction/rights/access";
        for (input, want) in [
            (json!(true), true),
            (json!(false), false),
            (json!("on"), true),
            (json!("Yes"), true),
            (json!("TRUE"), true),
            (json!("1"), true),
            (json!(1), true),
            (json!("off"), false),
            (json!(""), false),
            (json!(null), false),
        ] {
            let r = parse(&raw(mineone_with(at, input.clone())), today()).unwrap();
            assert_eq!(r.transaction.rights.access, want, "{input}");
        }
        for bad in [json!("maybe"), json!(2), json!([true])] {
            assert!(errors(mineone_with(at, bad)).has("transaction.rights.access"));
        }
    }

    #[test]
    fn states_and_counties() {
        let r = parse(&raw(mineone_with("/property/state", json!("wy"))), today()).unwrap();
        assert_eq!(r.property.state.as_deref(), Some("WY"));
        let e = errors(mineone_with("/property/state", json!("Wyoming")));
        assert_eq!(
            e.get("property.state"),
            "Use a two-letter US state or territory code such as WY or DC."
        );
        let e = errors(mineone_with("/property/state", json!("TX")));
        assert_eq!(
            e.get("property.county_fips"),
            "County 56021 is in Wyoming, not Texas."
        );
        for bad in ["5602", "560211", "99001", "56O21"] {
            assert!(
                errors(mineone_with("/property/county_fips", json!(bad)))
                    .has("property.county_fips"),
                "{bad}"
            );
        }
        let mut v = mineone_with("/property/state", json!("PR"));
        *v.pointer_mut("/property/county_fips").unwrap() = json!("72127");
        assert!(parse(&raw(v), today()).is_ok());
        for code in US_STATES {
            assert!(countries::us_state(code).is_some(), "{code}");
        }
        assert_eq!(US_STATES.len(), countries::STATES.len());
    }

    #[test]
    fn enums_round_trip_and_accept_labels() {
        for s in Source::ALL {
            assert_eq!(s.as_str().parse::<Source>(), Ok(*s));
        }
        for k in TxKind::ALL {
            assert_eq!(k.as_str().parse::<TxKind>(), Ok(*k));
        }
        for r in PartyRole::ALL {
            assert_eq!(r.as_str().parse::<PartyRole>(), Ok(*r));
        }
        for a in LeadAgency::ALL {
            assert_eq!(a.as_str().parse::<LeadAgency>(), Ok(*a));
        }
        assert_eq!(LeadAgency::ALL.len(), 9);
        assert_eq!(LeadAgency::Ustr.label(), "USTR");
        assert_eq!(LeadAgency::HomelandSecurity.as_str(), "homeland_security");
        assert_eq!(Source::SelfDisclosure.label(), "Self-disclosure");
        assert_eq!(
            serde_json::to_value(PartyRole::UltimateParent).unwrap(),
            json!("ultimate_parent")
        );
        assert!("Purchase".parse::<TxKind>().is_err());
        let mut v = mineone_with("/transaction/kind", json!("Business acquisition"));
        *v.pointer_mut("/source").unwrap() = json!("Self-disclosure");
        let r = parse(&raw(v), today()).unwrap();
        assert_eq!(r.transaction.kind, TxKind::BusinessAcquisition);
        assert_eq!(r.source, Source::SelfDisclosure);
    }

    fn form() -> Vec<(String, String)> {
        pairs(&[
            ("title", "  Mine near <b>base</b> "),
            ("source", "public_tip"),
            ("summary", "line one\r\nline two"),
            ("transaction.kind", "purchase"),
            ("transaction.date", "2022-06-15"),
            ("transaction.value_usd", "1,500,000"),
            ("transaction.rights.access", "on"),
            ("transaction.rights.improve", "on"),
            ("transaction.intended_use", "mining"),
            ("transaction.power_mw", "75"),
            ("property.lat", "41.17"),
            ("property.lon", "-104.85"),
            ("property.address", "Cheyenne"),
            ("property.state", "WY"),
            ("property.county_fips", "56021"),
            ("property.acreage", "12"),
            ("property.in_port", "on"),
            ("parties[0].name", "MineOne Wyoming Data Center LLC"),
            ("parties[0].country", "US"),
            ("parties[0].role", "acquirer"),
            ("parties[0].ownership_pct", ""),
            ("parties[0].owns", ""),
            ("parties[1].name", ""),
            ("parties[1].country", ""),
            ("parties[1].role", ""),
            ("parties[1].owns", ""),
            ("parties[2].name", "MineOne Partners Ltd"),
            ("parties[2].country", "vg"),
            ("parties[2].role", "parent"),
            ("parties[2].ownership_pct", "100"),
            ("parties[2].owns", "0"),
            ("parties[2].state_owned", "on"),
            ("parties[3].name", " "),
            ("parties[3].country", ""),
            ("parties[3].role", ""),
            ("csrf_token", "ignored"),
        ])
    }

    #[test]
    fn form_parses_with_blank_rows_ignored() {
        let raw = RawReport::from_pairs(&form());
        assert_eq!(raw.parties.len(), 2);
        assert_eq!(raw.party_count(), 3);
        let r = parse(&raw, today()).unwrap();
        assert_eq!(r.title, "Mine near <b>base</b>");
        assert_eq!(r.source, Source::PublicTip);
        assert_eq!(r.transaction.value_usd, Some(1_500_000));
        let rights = r.transaction.rights;
        assert!(rights.access && !rights.exclude && rights.improve && !rights.affix);
        assert!(r.property.in_port && !r.property.urban_area);
        let keys: Vec<&str> = r.parties.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["p1", "p3"]);
        assert_eq!(r.parties[1].owns.as_deref(), Some("p1"));
        assert_eq!(r.parties[1].country, "VG");
        assert!(r.parties[1].state_owned && !r.parties[1].government_controlled);
        assert_eq!(r.parties[0].owns, None);
        assert_eq!(RawReport::from_pairs(&[]).party_count(), 0);
    }

    #[test]
    fn form_round_trips_what_was_typed() {
        let mut typed = form();
        for (k, v) in typed.iter_mut() {
            if k == "property.lat" {
                *v = "abc".into();
            }
            if k == "parties[2].owns" {
                *v = "1".into();
            }
        }
        let raw = RawReport::from_pairs(&typed);
        let e = parse(&raw, today()).unwrap_err();
        assert_eq!(fields(&e), ["parties[2].owns", "property.lat"]);
        assert_eq!(e.get("parties[2].owns"), "Choose a party of this report.");
        for (path, value) in &typed {
            if path == "csrf_token"
                || path.starts_with("parties[1]")
                || path.starts_with("parties[3]")
            {
                continue;
            }
            assert_eq!(&raw.value(path), value, "{path}");
        }
        assert_eq!(raw.value("property.lat"), "abc");
        assert_eq!(raw.value("title"), "  Mine near <b>base</b> ");
        assert_eq!(raw.value("transaction.rights.exclude"), "");
        assert_eq!(raw.value("parties[2].key"), "p3");
        assert_eq!(raw.value("parties[1].name"), "");
        assert_eq!(raw.value("parties[9].name"), "");
        assert_eq!(raw.value("no.such.field"), "");
    }

    #[test]
    fn form_checkboxes_and_duplicates() {
        let raw = RawReport::from_pairs(&pairs(&[
            ("property.urban_area", ""),
            ("property.urban_area", "on"),
            ("property.in_port", "off"),
            ("property.commercial_office", "yes"),
            ("title", "first"),
            ("title", "second"),
            ("parties[x].name", "ignored"),
            ("parties[99999].name", "ignored"),
        ]));
        assert_eq!(raw.value("property.urban_area"), "on");
        assert_eq!(raw.value("property.in_port"), "");
        assert_eq!(raw.value("property.commercial_office"), "on");
        assert_eq!(raw.value("title"), "first");
        assert_eq!(raw.party_count(), 0);
    }

    #[test]
    fn json_values_render_for_forms() {
        let raw = raw(mineone());
        assert_eq!(raw.value("property.lat"), "41.17");
        assert_eq!(raw.value("transaction.value_usd"), "1500000");
        assert_eq!(raw.value("transaction.rights.access"), "on");
        assert_eq!(raw.value("property.urban_area"), "");
        assert_eq!(raw.value("parties[2].owns"), "p2");
        assert_eq!(raw.party_count(), 3);
    }

    #[test]
    fn a_json_body_must_give_each_field_its_own_type_while_a_form_may_not() {
        let mut body: Value = serde_json::from_str(MINEONE).unwrap();
        assert!(parse_json(&RawReport::from_json(body.clone()), today()).is_ok());
        body["transaction"]["rights"]["access"] = json!("yes");
        body["transaction"]["rights"]["exclude"] = json!(0);
        body["property"]["lat"] = json!("41.17");
        body["title"] = json!(5);
        body["parties"][1]["ownership_pct"] = json!("100");
        body["parties"][0]["state_owned"] = json!(null);
        let raw = RawReport::from_json(body);
        let e = parse_json(&raw, today()).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "parties[1].ownership_pct",
                "property.lat",
                "title",
                "transaction.rights.access",
                "transaction.rights.exclude",
            ]
        );
        assert_eq!(
            e.get("transaction.rights.access"),
            "Give true or false (a JSON boolean)."
        );
        assert!(e.get("property.lat").contains("JSON number"));
        // The lenient reading still takes the text and the 0/1 a form would send.
        let mut lenient = raw.clone();
        lenient.title = Some(json!("A title"));
        assert!(parse(&lenient, today()).is_ok());
        // A form sends numbers as text and ticks as "on": `parse` reads them, as before.
        let form = RawReport::from_pairs(&[
            ("title".to_string(), "T".to_string()),
            ("property.lat".to_string(), "41.17".to_string()),
            ("transaction.rights.access".to_string(), "on".to_string()),
        ]);
        let e = parse(&form, today()).unwrap_err();
        assert!(!e.has("property.lat") && !e.has("transaction.rights.access"));
        assert!(parse_json(&form, today()).unwrap_err().has("property.lat"));
    }
}
