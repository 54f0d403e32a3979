//! Name normalisation and fuzzy scoring for watchlist matching.
// placeholder: replaced by the names engineer

/// Lower-cases the name and keeps its letters and digits, one space between words.
pub fn normalize(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// 1 for equal normalised names, else the share of words they have in common (0 to 1).
pub fn score(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let wa: std::collections::BTreeSet<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    let wb: std::collections::BTreeSet<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    let union = wa.union(&wb).count();
    if union == 0 {
        return 0.0;
    }
    wa.intersection(&wb).count() as f64 / union as f64
}
