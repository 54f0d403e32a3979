//! Step 4 of the test (DOMAIN.md 2.1, 31 CFR 802.212 and 802.233): the foreign person must get
//! at least three of the four property rights. Rights count whether or not they are exercised or
//! shared; a right not ticked counts as not granted.

/// The four rights of 802.233, in the order of `Subject::rights`.
pub const RIGHTS: [&str; 4] = [
    "physically access the property",
    "exclude others from physically accessing it",
    "improve or develop it",
    "attach fixed or immovable structures or objects to it",
];

/// How many rights make real estate a covered real estate transaction.
pub const REQUIRED: usize = 3;

/// The outcome of the rights test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RightsTest {
    /// How many of the four rights the foreign person gets.
    pub granted: usize,
    /// Whether that is at least three.
    pub passes: bool,
    /// The finding in plain words.
    pub reason: String,
}

/// Applies the 3-of-4 test.
pub fn test(rights: &[bool; 4]) -> RightsTest {
    let granted: Vec<&str> = RIGHTS
        .iter()
        .zip(rights)
        .filter(|(_, &on)| on)
        .map(|(name, _)| *name)
        .collect();
    let missing: Vec<&str> = RIGHTS
        .iter()
        .zip(rights)
        .filter(|(_, &on)| !on)
        .map(|(name, _)| *name)
        .collect();
    let count = granted.len();
    let passes = count >= REQUIRED;
    let reason = match (passes, missing.is_empty()) {
        (true, true) => {
            "Property rights: the foreign person gets all 4 rights (802.233).".to_string()
        }
        (true, false) => format!(
            "Property rights: the foreign person gets {count} of the 4 rights (at least {REQUIRED} \
             needed, 802.212); not the right to {}.",
            missing.join(", nor to ")
        ),
        (false, _) => format!(
            "Property rights: the foreign person gets only {count} of the 4 rights (at least \
             {REQUIRED} needed, 802.212){}.",
            if granted.is_empty() {
                String::new()
            } else {
                format!(": the right to {}", granted.join(" and to "))
            }
        ),
    };
    RightsTest {
        granted: count,
        passes,
        reason,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn three_of_four() {
        let cases: &[([bool; 4], usize, bool)] = &[
            ([true, true, true, true], 4, true),
            ([true, true, true, false], 3, true),
            ([false, true, true, true], 3, true),
            ([true, false, true, false], 2, false),
            ([false, false, false, true], 1, false),
            ([false, false, false, false], 0, false),
        ];
        for (rights, granted, passes) in cases {
            let t = test(rights);
            assert_eq!((t.granted, t.passes), (*granted, *passes), "{rights:?}");
        }
        let t = test(&[true, false, true, false]);
        assert!(t.reason.contains("only 2 of the 4"), "{}", t.reason);
        assert!(t.reason.contains("physically access"), "{}", t.reason);
        let t = test(&[true, true, true, false]);
        assert!(t.reason.contains("not the right to attach"), "{}", t.reason);
    }
}
