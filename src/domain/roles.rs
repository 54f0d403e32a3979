//! Roles and what each may do. The ordering is the permission order: each role may do all that
//! the roles below it may.

use std::str::FromStr;

/// A user's role (PRODUCT.md section 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads everything and exports.
    Observer,
    /// Logs reports, edits facts, moves cases through the non-final states.
    Reviewer,
    /// Final decisions, extensions, referrals, reopening, tolling.
    Chair,
    /// Everything, plus users, tokens, sites, watchlists and rule sets.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 4] = [Role::Observer, Role::Reviewer, Role::Chair, Role::Admin];

    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Observer => "observer",
            Role::Reviewer => "reviewer",
            Role::Chair => "chair",
            Role::Admin => "admin",
        }
    }

    /// Whether this role includes everything `least` may do.
    pub fn at_least(self, least: Role) -> bool {
        self >= least
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the four role names.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: expected observer, reviewer, chair or admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_order() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().ok(), Some(r));
        }
        assert!(Role::Admin.at_least(Role::Chair));
        assert!(Role::Chair.at_least(Role::Reviewer));
        assert!(!Role::Observer.at_least(Role::Reviewer));
        assert!("Admin".parse::<Role>().is_err());
    }
}
