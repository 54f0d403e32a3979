//! The parties of a case as FollowTheMoney entities (the data model of OpenSanctions and
//! Aleph), so that other investigation tools can take them: each party is a `Company`, a
//! `Person` or, when its name does not say, a `LegalEntity`; each "owns" link is an `Ownership`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::json::PartyJson;
use crate::domain::screening::names;

/// One FollowTheMoney entity: every property is a list of strings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entity {
    pub id: String,
    pub schema: &'static str,
    pub properties: BTreeMap<&'static str, Vec<String>>,
}

/// Words that make a name an organisation's (besides the legal forms of name matching).
const ORGANISATION_WORDS: &[&str] = &[
    "agency",
    "association",
    "bank",
    "capital",
    "center",
    "centre",
    "enterprise",
    "enterprises",
    "foundation",
    "fund",
    "government",
    "group",
    "industries",
    "investment",
    "investments",
    "ministry",
    "partners",
    "partnership",
    "technologies",
    "technology",
    "trust",
    "university",
    "ventures",
];

/// Words that make a name a person's (or a group of people's).
const PERSON_WORDS: &[&str] = &[
    "dr",
    "individual",
    "individuals",
    "mr",
    "mrs",
    "ms",
    "national",
    "nationals",
    "person",
    "persons",
];

fn schema_of(p: &PartyJson) -> &'static str {
    if p.government_controlled || p.state_owned {
        return "Company";
    }
    let words: Vec<String> = p
        .name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if words.iter().any(|w| names::is_legal_form(w)) || any(ORGANISATION_WORDS) {
        "Company"
    } else if any(PERSON_WORDS) {
        "Person"
    } else {
        "LegalEntity"
    }
}

fn entity_id(reference: &str, key: &str) -> String {
    format!("cordon-{}-{}", reference.to_lowercase(), key)
}

/// The entities of a case's parties and their ownership links, parties first.
pub fn entities(reference: &str, parties: &[PartyJson]) -> Vec<Entity> {
    let mut out = Vec::with_capacity(parties.len() * 2);
    for p in parties {
        let schema = schema_of(p);
        let country = p.country.to_lowercase();
        let mut props = BTreeMap::new();
        props.insert("name", vec![p.name.clone()]);
        props.insert("country", vec![country.clone()]);
        match schema {
            "Person" => props.insert("nationality", vec![country]),
            _ => props.insert("jurisdiction", vec![country]),
        };
        if p.government_controlled || p.state_owned {
            props.insert("topics", vec!["gov.soe".to_string()]);
        }
        props.insert("notes", vec![format!("Party {} ({})", p.key, p.role)]);
        out.push(Entity {
            id: entity_id(reference, &p.key),
            schema,
            properties: props,
        });
    }
    for p in parties {
        let Some(asset) = p.owns.as_deref() else {
            continue;
        };
        if !parties.iter().any(|q| q.key == asset) {
            continue;
        }
        let mut props = BTreeMap::new();
        props.insert("owner", vec![entity_id(reference, &p.key)]);
        props.insert("asset", vec![entity_id(reference, asset)]);
        props.insert("role", vec![p.role.replace('_', " ")]);
        if let Some(pct) = p.ownership_pct {
            props.insert("percentage", vec![format!("{pct}")]);
        }
        out.push(Entity {
            id: format!("{}-owns-{asset}", entity_id(reference, &p.key)),
            schema: "Ownership",
            properties: props,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn party(key: &str, name: &str, country: &str, owns: Option<&str>) -> PartyJson {
        PartyJson {
            key: key.into(),
            name: name.into(),
            country: country.into(),
            role: "parent".into(),
            ownership_pct: owns.map(|_| 51.0),
            owns: owns.map(str::to_string),
            government_controlled: false,
            state_owned: false,
        }
    }

    #[test]
    fn a_chain_becomes_companies_people_and_ownerships() {
        let parties = vec![
            party("p1", "MineOne Wyoming Data Center LLC", "US", None),
            party("p2", "MineOne Partners Ltd", "VG", Some("p1")),
            party("p3", "PRC nationals (undisclosed)", "CN", Some("p2")),
            party("p4", "Zhang Wei", "CN", Some("p9")),
        ];
        let e = entities("CFN-2022-00001", &parties);
        let schemas: Vec<&str> = e.iter().map(|e| e.schema).collect();
        assert_eq!(
            schemas,
            [
                "Company",
                "Company",
                "Person",
                "LegalEntity",
                "Ownership",
                "Ownership"
            ]
        );
        assert_eq!(e[1].properties["jurisdiction"], ["vg"]);
        assert_eq!(e[2].properties["nationality"], ["cn"]);
        let own = &e[5];
        assert_eq!(own.properties["owner"], ["cordon-cfn-2022-00001-p3"]);
        assert_eq!(own.properties["asset"], ["cordon-cfn-2022-00001-p2"]);
        assert_eq!(own.properties["percentage"], ["51"]);
        assert_eq!(own.id, "cordon-cfn-2022-00001-p3-owns-p2");
    }

    #[test]
    fn state_ownership_is_a_topic() {
        let mut p = party("p1", "Zhang Wei", "CN", None);
        p.state_owned = true;
        let e = entities("CFN-2026-00002", &[p]);
        assert_eq!(e[0].schema, "Company");
        assert_eq!(e[0].properties["topics"], ["gov.soe"]);
    }
}
