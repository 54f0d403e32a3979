//! The API's closed vocabularies as OpenAPI enums, written from the same lists the server
//! checks against (`ALL` of each domain enum), so the document cannot drift from the code.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use crate::domain::report::{LeadAgency, PartyRole, Source, TxKind};
use crate::domain::risk::Band;
use crate::domain::workflow::{Outcome, State};

/// A string schema whose values are `values`.
fn string_enum<'a>(description: &str, values: impl IntoIterator<Item = &'a str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

macro_rules! enum_schema {
    ($($ty:ty => $description:literal;)*) => {$(
        impl utoipa::PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                string_enum($description, <$ty>::ALL.iter().map(|v| v.as_str()))
            }
        }
        impl utoipa::ToSchema for $ty {}
    )*};
}

enum_schema! {
    Source => "How a report reached the office.";
    TxKind => "The kind of transaction.";
    PartyRole => "A party's part in the transaction.";
    LeadAgency => "The member agency leading a case.";
    State => "A state of the CFIUS workflow.";
    Outcome => "How a closed case ended.";
    Band => "A risk band (T × V × C: low up to 12, moderate to 36, high to 74, critical above).";
    crate::domain::Role => "A user's role; each includes the ones before it.";
}

/// The queue's sorts (`GET /api/v1/cases?sort=`).
#[derive(Clone, Copy, Debug, utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum QueueSort {
    /// Next deadline first (the default).
    Deadline,
    /// Newest received first.
    Received,
    /// Most recently changed first.
    Updated,
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    use super::*;

    fn values<T: PartialSchema>() -> Vec<String> {
        let RefOr::T(Schema::Object(o)) = T::schema() else {
            return Vec::new();
        };
        o.enum_values
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }

    #[test]
    fn every_value_the_server_accepts_is_in_the_schema_and_parses_back() {
        let states = values::<State>();
        assert_eq!(states.len(), State::ALL.len());
        assert!(states.iter().all(|s| s.parse::<State>().is_ok()));
        let outcomes = values::<Outcome>();
        assert!(outcomes.contains(&"not_covered".to_string()));
        assert!(outcomes.iter().all(|s| s.parse::<Outcome>().is_ok()));
        assert_eq!(values::<Source>().len(), Source::ALL.len());
        assert_eq!(values::<Band>(), ["low", "moderate", "high", "critical"]);
    }
}
