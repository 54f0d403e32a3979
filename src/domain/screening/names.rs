//! Name normalisation and fuzzy scoring for watchlist matching. Pure.
//!
//! [`normalize`] turns a name as written into a canonical form: Unicode compatibility
//! decomposition (NFKD) with the combining marks (accents) dropped, a few letters that do not
//! decompose spelt out (`ß` → `ss`, `æ` → `ae`, `ø` → `o`, `ł` → `l`, …), lower case, `&` → `and`,
//! apostrophes removed (`O'Brien` → `obrien`), dotted initials joined (`L.P.` → `lp`,
//! `S.p.A.` → `spa`, `U.S.A.` → `usa`), every other character that is not a letter or a digit
//! a word break, single spaces, and the legal-form words of [`LEGAL_FORMS`] dropped as whole
//! words wherever they stand (together with an `and` just before one, as in `Smith & Co.`), as
//! well as a trailing run of single letters spelling one (`Blackstone L P`) and a last word one
//! letter away from one of [`MISSPELT_FORMS`] (`Lmited`). A name made of legal forms only keeps
//! them. Dropping short forms anywhere (`co`, `sa`, `ag`) costs little because both sides of a
//! comparison are normalised alike (`A.G. Edwards` and `AG Edwards` both become `edwards`). Word
//! order is left alone: [`score`] sorts and aligns words itself.
//!
//! [`score`] compares two normalised names and gives 0 to 1 (1 for the same words, in any order).
//! It is the best of four ratios, each `1 - d / n` with `d` the optimal string alignment distance
//! (Levenshtein plus adjacent transpositions, as `strsim::osa_distance` computes it; an
//! allocation-free copy is used, tested equal) and `n` the length of the longer string in
//! characters, spaces included:
//!
//! * **token sort**: both names with their words sorted (so `Zhang Wei` = `Wei Zhang`);
//! * **token set, fuzzily paired**: the words the names share (first those that are equal, then
//!   pairs of words at least half alike, most alike first) in the same order on both sides,
//!   followed by the rest sorted. This is fuzzywuzzy's token-set ratio (the comparison of
//!   "shared + rest of a" with "shared + rest of b") with a fuzzy intersection, so a misspelt
//!   word that sorts elsewhere (`Hzang Wei` / `Wei Zhang`) still lines up;
//! * **compact**: both names without spaces, in their own order and in the paired order, so
//!   `Rosoboronexport` = `Rosoboron Export` and `MineOne` = `Mine One`.
//!
//! Why the edit distance rather than Jaro–Winkler: Jaro–Winkler rewards a shared beginning, and
//! sanctioned entities very often share their first words ("China National …", "Bank …"), so it
//! rates different entities as near-identical (Jaro–Winkler gives `Bank of China` / `Bank of
//! Chinatown` 0.95, `Bank Melli Iran` / `Bank Mellat Iran` 0.95, `China National Petroleum` /
//! `China National Chemical` 0.90; this score gives 0.76, 0.875 and 0.63); the edit-distance
//! ratio counts the differing letters against the whole length. Transpositions count as one edit because swapped letters are the commonest
//! typing slip.
//!
//! Deliberately *not* a match: a name whose words are a subset of the other's (fuzzywuzzy's full
//! token-set ratio gives 1 for `China` against `Bank of China`); listed short forms are matched
//! through the entries' aliases instead.
//!
//! [`DEFAULT_THRESHOLD`] (0.88, also the built-in rule set's `watchlist.threshold`) separates the
//! misspelt, reordered and re-punctuated names of the tests (all at or above 0.888) from the
//! different-but-similar names (all at or below 0.875, the closest being `Bank Melli Iran` /
//! `Bank Mellat Iran`). One edit in a name of nine characters or more stays above it (so `Zhang
//! Wei` / `Zhang Wen` is a hit for a reviewer to dismiss); shorter names must match exactly after
//! normalisation. Long names that share long generic words are the weak spot of any edit ratio:
//! `Karming Technology Electronics` / `Parsming Technology Electronics` scores 0.94.

use strsim::osa_distance;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The score from which two names are taken to be the same (see the module documentation).
pub const DEFAULT_THRESHOLD: f64 = 0.88;

/// Legal-form words dropped by [`normalize`] (after lower-casing and joining dotted initials, so
/// `L.L.C.` is `llc` and `S.p.A.` is `spa`). Deliberately absent: `group`, `international`,
/// `trading` and the like, which are part of many listed names (`Wagner Group`) rather than a
/// formality, and two-letter words that are also common words or codes (`as`, `ab`, `se`).
pub const LEGAL_FORMS: &[&str] = &[
    "ag",
    "bhd",
    "bv",
    "cjsc",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "holding",
    "holdings",
    "inc",
    "incorporated",
    "jsc",
    "kg",
    "kk",
    "limited",
    "llc",
    "lllp",
    "llp",
    "lp",
    "ltd",
    "ltda",
    "nv",
    "oao",
    "ojsc",
    "ooo",
    "pjsc",
    "plc",
    "pllc",
    "pte",
    "pty",
    "sa",
    "sarl",
    "sdn",
    "spa",
    "srl",
    "zao",
];

/// Legal forms also dropped, as the last word of a name, when misspelt by one letter (`Lmiited`,
/// `PSJC`): their misspellings are not words in their own right (unlike those of `corp`, `inc`
/// or `holdings`: `crop`, `ink`, `goldings`).
pub const MISSPELT_FORMS: &[&str] = &[
    "cjsc",
    "company",
    "corporation",
    "gmbh",
    "incorporated",
    "limited",
    "ojsc",
    "pjsc",
];

/// Whether a (normalised) word is a legal form of [`LEGAL_FORMS`].
pub fn is_legal_form(word: &str) -> bool {
    LEGAL_FORMS.binary_search(&word).is_ok()
}

/// A word as read, and whether a full stop came straight after it.
struct RawWord {
    text: String,
    dotted: bool,
}

impl RawWord {
    fn is_letter(&self) -> bool {
        let mut chars = self.text.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    }
}

/// The canonical form of a name (see the module documentation): `"Société Générale S.A."` →
/// `"societe generale"`, `"Huawei Technologies Co., Ltd."` → `"huawei technologies"`.
pub fn normalize(name: &str) -> String {
    let words = join_initials(split_words(name));
    let words = drop_legal_forms(words);
    words.join(" ")
}

/// The words of a normalised name (split on whitespace, so any string will do).
pub fn tokens(normalized: &str) -> impl Iterator<Item = &str> + '_ {
    normalized.split_whitespace()
}

/// Folds and splits a name into lower-case words of letters and digits.
fn split_words(name: &str) -> Vec<RawWord> {
    let mut split = Splitter::default();
    if name.is_ascii() {
        // ASCII is its own decomposition and has no combining marks.
        for c in name.chars() {
            split.push(c.to_ascii_lowercase());
        }
    } else {
        for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
            for l in c.to_lowercase() {
                split.push(l);
            }
        }
    }
    split.end(false);
    split.words
}

/// Words being read, one lower-case character at a time.
#[derive(Default)]
struct Splitter {
    words: Vec<RawWord>,
    current: String,
}

impl Splitter {
    fn end(&mut self, dotted: bool) {
        if !self.current.is_empty() {
            self.words.push(RawWord {
                text: std::mem::take(&mut self.current),
                dotted,
            });
        }
    }

    fn push(&mut self, l: char) {
        match l {
            '\'' | '\u{2019}' | '\u{02bc}' | '`' => {}
            '&' => {
                self.end(false);
                self.words.push(RawWord {
                    text: "and".into(),
                    dotted: false,
                });
            }
            '.' => self.end(true),
            'ß' => self.current.push_str("ss"),
            'æ' => self.current.push_str("ae"),
            'œ' => self.current.push_str("oe"),
            'þ' => self.current.push_str("th"),
            'ø' => self.current.push('o'),
            'đ' | 'ð' => self.current.push('d'),
            'ł' => self.current.push('l'),
            'ı' => self.current.push('i'),
            l if l.is_alphanumeric() => self.current.push(l),
            _ => self.end(false),
        }
    }
}

/// Joins runs of dotted single letters: `l. p.` → `lp`, `u.s.a` → `usa`; `j. smith` stays.
fn join_initials(words: Vec<RawWord>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let mut text = words[i].text.clone();
        let mut j = i;
        if words[i].is_letter() {
            while words[j].dotted && words.get(j + 1).is_some_and(RawWord::is_letter) {
                j += 1;
                text.push_str(&words[j].text);
            }
        }
        out.push(text);
        i = j + 1;
    }
    out
}

/// Drops legal forms (see the module documentation), unless nothing else would be left.
fn drop_legal_forms(words: Vec<String>) -> Vec<String> {
    let n = words.len();
    // A trailing run of single letters that spells a legal form ("blackstone l p").
    let mut run_start = n;
    while run_start > 0 && words[run_start - 1].chars().count() == 1 {
        run_start -= 1;
    }
    let keep_until = if n - run_start >= 2 && is_legal_form(&words[run_start..].concat()) {
        run_start
    } else {
        n
    };
    let legal_at = |i: usize| {
        i >= keep_until
            || is_legal_form(&words[i])
            || (i + 1 == n && MISSPELT_FORMS.iter().any(|f| one_off(f, &words[i])))
    };
    // "and" before a legal form goes with it ("smith and co").
    let joins_legal = |i: usize| words[i] == "and" && i + 1 < n && legal_at(i + 1);
    let kept: Vec<String> = (0..n)
        .filter(|&i| !legal_at(i) && !joins_legal(i))
        .map(|i| words[i].clone())
        .collect();
    if kept.is_empty() {
        words
    } else {
        kept
    }
}

/// Whether the word is the form with at most one letter wrong, missing, extra or swapped.
fn one_off(form: &str, word: &str) -> bool {
    form.len().abs_diff(word.len()) <= 1 && osa_distance(form, word) <= 1
}

/// The optimal string alignment distance (Levenshtein plus adjacent transpositions, no
/// substring edited twice) between two character slices: the number `strsim::osa_distance`
/// gives (a test checks), computed without its allocation per call and row and with the common
/// beginning and end set aside first, which leaves little to compare for near-identical names.
fn osa(a: &[char], b: &[char]) -> usize {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[p..], &b[p..]);
    let s = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - s], &b[..b.len() - s]);
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let w = b.len() + 1;
    let mut rows = vec![0usize; 3 * w];
    // Offsets of the rows two back, one back and current.
    let (mut two, mut one, mut cur) = (0, w, 2 * w);
    for (j, cell) in rows[one..one + w].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 0..a.len() {
        rows[cur] = i + 1;
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut v = (rows[cur + j] + 1)
                .min(rows[one + j + 1] + 1)
                .min(rows[one + j] + cost);
            if cost == 1 && i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                v = v.min(rows[two + j - 1] + 1);
            }
            rows[cur + j + 1] = v;
        }
        (two, one, cur) = (one, cur, two);
    }
    rows[one + b.len()]
}

/// `1 - d / n`: `d` the optimal string alignment distance, `n` the longer length.
fn ratio(a: &[char], b: &[char]) -> f64 {
    let n = a.len().max(b.len());
    if n == 0 {
        return 1.0;
    }
    1.0 - osa(a, b) as f64 / n as f64
}

/// Two words are paired by the token-set ratio when at least this alike.
const PAIR_MIN: f64 = 0.5;

/// The words joined, with or without a space between them.
fn joined(words: &[&[char]], spaced: bool) -> Vec<char> {
    let mut out = Vec::with_capacity(words.iter().map(|w| w.len() + 1).sum());
    for (i, w) in words.iter().enumerate() {
        if spaced && i > 0 {
            out.push(' ');
        }
        out.extend_from_slice(w);
    }
    out
}

/// The letters one name has beyond the other, the larger way round, counted in 64 buckets
/// (letters sharing a bucket can only lower it): a lower bound of every edit distance between
/// arrangements of their words, with or without spaces.
fn letter_difference(a: &[&[char]], b: &[&[char]]) -> usize {
    let mut counts = [0i32; 64];
    for c in a.iter().flat_map(|w| w.iter()) {
        counts[(u32::from(*c) % 64) as usize] += 1;
    }
    for c in b.iter().flat_map(|w| w.iter()) {
        counts[(u32::from(*c) % 64) as usize] -= 1;
    }
    let more: i32 = counts.iter().filter(|n| **n > 0).sum();
    let fewer: i32 = counts.iter().filter(|n| **n < 0).map(|n| -n).sum();
    more.max(fewer).unsigned_abs() as usize
}

/// One of the comparisons [`score`] makes: the two word lists and whether spaces join the words.
type Try<'a, 'w> = (&'a [&'w [char]], &'a [&'w [char]], bool);

/// How alike two normalised names are, from 0 to 1 (see the module documentation). Empty names
/// (nothing left to compare) score 0.
///
/// The four ratios are tried most promising first, and one is skipped when a lower bound of
/// its distance (the letter difference, or the length difference) shows it cannot beat the best
/// so far, so the result is the exact maximum at a fraction of the cost.
pub fn score(a: &str, b: &str) -> f64 {
    let given_a: Vec<Vec<char>> = tokens(a).map(|w| w.chars().collect()).collect();
    let given_b: Vec<Vec<char>> = tokens(b).map(|w| w.chars().collect()).collect();
    if given_a.is_empty() || given_b.is_empty() {
        return 0.0;
    }
    if given_a == given_b {
        return 1.0;
    }
    let mut sorted_a: Vec<&[char]> = given_a.iter().map(Vec::as_slice).collect();
    let mut sorted_b: Vec<&[char]> = given_b.iter().map(Vec::as_slice).collect();
    sorted_a.sort_unstable();
    sorted_b.sort_unstable();
    if sorted_a == sorted_b {
        return 1.0;
    }
    let (paired_a, paired_b) = paired(&sorted_a, &sorted_b);
    let given_a: Vec<&[char]> = given_a.iter().map(Vec::as_slice).collect();
    let given_b: Vec<&[char]> = given_b.iter().map(Vec::as_slice).collect();
    let letters = letter_difference(&given_a, &given_b);
    let length = |words: &[&[char]], spaced: bool| {
        words.iter().map(|w| w.len()).sum::<usize>() + if spaced { words.len() - 1 } else { 0 }
    };
    let same_order = paired_a == sorted_a && paired_b == sorted_b;
    let tries: [Try; 4] = [
        (&paired_a, &paired_b, true),
        (&paired_a, &paired_b, false),
        (&sorted_a, &sorted_b, true),
        (&given_a, &given_b, false),
    ];
    let mut best = 0.0_f64;
    for (k, (x, y, spaced)) in tries.into_iter().enumerate() {
        if k == 2 && same_order {
            continue; // the same strings as the first try
        }
        let (lx, ly) = (length(x, spaced), length(y, spaced));
        let longest = lx.max(ly).max(1);
        let bound = 1.0 - letters.max(lx.abs_diff(ly)) as f64 / longest as f64;
        if bound <= best {
            continue;
        }
        best = best.max(ratio(&joined(x, spaced), &joined(y, spaced)));
        if best >= 1.0 {
            break;
        }
    }
    best.clamp(0.0, 1.0)
}

/// Both (sorted) word lists reordered so that paired words come first, in the same order on both
/// sides: equal words, then fuzzy pairs most alike first; the unpaired words follow, sorted.
fn paired<'a>(a: &[&'a [char]], b: &[&'a [char]]) -> (Vec<&'a [char]>, Vec<&'a [char]>) {
    let mut used_a = vec![false; a.len()];
    let mut used_b = vec![false; b.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, wa) in a.iter().enumerate() {
        if let Some(j) = (0..b.len()).find(|&j| !used_b[j] && b[j] == *wa) {
            used_a[i] = true;
            used_b[j] = true;
            pairs.push((i, j));
        }
    }
    let mut fuzzy: Vec<(f64, usize, usize)> = Vec::new();
    for (i, wa) in a.iter().enumerate().filter(|(i, _)| !used_a[*i]) {
        for (j, wb) in b.iter().enumerate().filter(|(j, _)| !used_b[*j]) {
            let r = ratio(wa, wb);
            if r >= PAIR_MIN {
                fuzzy.push((r, i, j));
            }
        }
    }
    fuzzy.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (_, i, j) in fuzzy {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            pairs.push((i, j));
        }
    }
    let mut pa: Vec<&[char]> = pairs.iter().map(|&(i, _)| a[i]).collect();
    let mut pb: Vec<&[char]> = pairs.iter().map(|&(_, j)| b[j]).collect();
    pa.extend(a.iter().zip(&used_a).filter(|(_, u)| !**u).map(|(w, _)| *w));
    pb.extend(b.iter().zip(&used_b).filter(|(_, u)| !**u).map(|(w, _)| *w));
    (pa, pb)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn s(a: &str, b: &str) -> f64 {
        score(&normalize(a), &normalize(b))
    }

    #[test]
    fn legal_forms_are_sorted_for_binary_search() {
        let mut sorted = LEGAL_FORMS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, LEGAL_FORMS);
    }

    #[test]
    fn normalises_case_accents_punctuation_and_legal_forms() {
        let cases = [
            ("Huawei Technologies Co., Ltd.", "huawei technologies"),
            ("HUAWEI TECHNOLOGIES COMPANY LIMITED", "huawei technologies"),
            ("Société Générale S.A.", "societe generale"),
            ("Straße & Søn GmbH", "strasse and son"),
            (
                "China National Aero-Technology Import & Export Corp",
                "china national aero technology import and export",
            ),
            (
                "Blackstone Real Estate Partners L.P.",
                "blackstone real estate partners",
            ),
            (
                "Blackstone Real Estate Partners L P",
                "blackstone real estate partners",
            ),
            ("Fincantieri S.p.A.", "fincantieri"),
            ("PJSC Rosneft Oil Company", "rosneft oil"),
            ("OOO \"Vneshtorg\"", "vneshtorg"),
            ("Smith & Co.", "smith"),
            ("Procter & Gamble", "procter and gamble"),
            ("McDonald's  Holdings", "mcdonalds"),
            ("O’Brien, J.", "obrien j"),
            ("J.P. Morgan Chase & Co.", "jp morgan chase"),
            ("U.S.A. Rare Earth LLC", "usa rare earth"),
            ("Ｆｕｌｌ　Ｗｉｄｔｈ Ｉｎｃ", "full width"),
            ("Unit 61398", "unit 61398"),
            ("Holding Company", "holding company"),
            ("Karmingtai Investment Lmiited", "karmingtai investment"),
            ("Shenzhen Example Compny", "shenzhen example"),
            ("Torkom Steel Electronics PSJC", "torkom steel electronics"),
            ("Red Crop", "red crop"),
            ("Limitless Compute", "limitless compute"),
            ("William Golding", "william golding"),
            ("Wagner Group", "wagner group"),
            ("A.G. Edwards", "edwards"),
            ("AG Edwards", "edwards"),
            ("  ", ""),
            ("…", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize(raw), want, "{raw}");
        }
    }

    #[test]
    fn tokens_split_on_whitespace() {
        assert_eq!(
            tokens("mine one  partners").collect::<Vec<_>>(),
            ["mine", "one", "partners"]
        );
        assert_eq!(tokens("").count(), 0);
    }

    /// Pairs that are the same party, and their lowest acceptable score.
    const SAME: &[(&str, &str)] = &[
        (
            "Huawei Technologies Co., Ltd.",
            "HUAWEI TECHNOLOGIES COMPANY LIMITED",
        ),
        (
            "China National Aero-Technology Import & Export Corp",
            "China National Aero Technology Import and Export Corporation",
        ),
        ("Rosoboronexport", "Rosoboron Export"),
        ("Mine One Partners", "MineOne Partners Ltd"),
        ("Zhang Wei", "Wei Zhang"),
        ("Hzang Wei", "Wei Zhang"),
        ("Société Générale", "Societe Generale"),
        ("Huawei Technolgies Co Ltd", "Huawei Technologies Company"),
        ("Rosoboronexprot", "Rosoboronexport"),
        ("Kaspersky Lab", "Kaspersky Labs"),
        (
            "Aviation Industry Corporation of China",
            "Aviation Industry Corp. of China, Ltd.",
        ),
        (
            "Hikvision Digital Technology",
            "Digital Technology Hikvision",
        ),
        (
            "Islamic Revolutionary Guard Corps",
            "Islamic Revolutionary Guards Corps",
        ),
        ("Mohammad Ali Jafari", "Mohammed Ali Jafari"),
        (
            "Korea Mining Development Trading",
            "Korea Mining Developement Trading",
        ),
        ("Sberbank of Russia PJSC", "Sberbank of Russia"),
        (
            "Shenzhen Example Technology Co., Ltd.",
            "SHENZHEN EXAMPLE TECHNOLOGY CO LTD",
        ),
    ];

    /// Pairs that are different parties with similar names.
    const DIFFERENT: &[(&str, &str)] = &[
        (
            "China National Petroleum Corporation",
            "China National Chemical Corporation",
        ),
        ("Bank of China", "Bank of Chinatown"),
        ("Huawei", "Hua Wei Farms"),
        ("Zhang Wei", "Zhang Min"),
        ("Bank Melli Iran", "Bank Mellat"),
        ("Bank Melli Iran", "Bank Mellat Iran"),
        ("Gazprom", "Gazprombank"),
        ("Rosneft", "Rostec"),
        ("Sinochem", "Sinopec"),
        ("China", "Bank of China"),
        ("Huawei Technologies", "Huawei"),
        (
            "MineOne Wyoming Data Center LLC",
            "MineOne Partners Limited",
        ),
        ("China Mobile Communications", "China Unicom Communications"),
        ("Korea Kwangson Banking", "Korea Kumgang Banking"),
        ("Li Wei", "Li Wen"),
        ("Cheyenne LEADS", "Cheyenne Land Holdings"),
    ];

    #[test]
    fn same_names_score_at_or_above_the_threshold() {
        for (a, b) in SAME {
            let v = s(a, b);
            assert!(v >= DEFAULT_THRESHOLD, "{a} / {b}: {v}");
            assert!(v <= 1.0, "{a} / {b}: {v}");
            assert!((v - s(b, a)).abs() < 1e-12, "symmetric: {a} / {b}");
        }
    }

    #[test]
    fn different_names_score_below_the_threshold() {
        for (a, b) in DIFFERENT {
            let v = s(a, b);
            assert!(v < DEFAULT_THRESHOLD, "{a} / {b}: {v}");
            assert!(v >= 0.0, "{a} / {b}: {v}");
            assert!((v - s(b, a)).abs() < 1e-12, "symmetric: {a} / {b}");
        }
    }

    #[test]
    fn the_threshold_has_a_margin_on_both_sides() {
        let lowest_same = SAME.iter().map(|(a, b)| s(a, b)).fold(1.0, f64::min);
        let highest_different = DIFFERENT.iter().map(|(a, b)| s(a, b)).fold(0.0, f64::max);
        assert!(lowest_same >= 0.885, "{lowest_same}");
        assert!(highest_different <= 0.876, "{highest_different}");
    }

    /// Knuth's MMIX linear congruential generator.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize
        }

        fn word(&mut self, letters: &[char]) -> String {
            (0..1 + self.next() % 6)
                .map(|_| letters[self.next() % letters.len()])
                .collect()
        }
    }

    #[test]
    fn osa_is_strsims_distance() {
        let mut rng = Lcg(3);
        let letters = ['a', 'b', 'c', ' ', 'é'];
        for _ in 0..20_000 {
            let (a, b) = (rng.word(&letters), rng.word(&letters));
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            assert_eq!(osa(&ca, &cb), osa_distance(&a, &b), "{a:?} / {b:?}");
        }
    }

    /// The score computed plainly: all four ratios with strsim, no bounds.
    fn plain_score(a: &str, b: &str) -> f64 {
        let ratio = |x: &str, y: &str| {
            let n = x.chars().count().max(y.chars().count()).max(1);
            1.0 - osa_distance(x, y) as f64 / n as f64
        };
        let given_a: Vec<Vec<char>> = tokens(a).map(|w| w.chars().collect()).collect();
        let given_b: Vec<Vec<char>> = tokens(b).map(|w| w.chars().collect()).collect();
        if given_a.is_empty() || given_b.is_empty() {
            return 0.0;
        }
        let mut sa: Vec<&[char]> = given_a.iter().map(Vec::as_slice).collect();
        let mut sb: Vec<&[char]> = given_b.iter().map(Vec::as_slice).collect();
        sa.sort_unstable();
        sb.sort_unstable();
        let (pa, pb) = paired(&sa, &sb);
        let text = |w: &[&[char]], sep: &str| {
            w.iter()
                .map(|w| w.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(sep)
        };
        let ga: Vec<&[char]> = given_a.iter().map(Vec::as_slice).collect();
        let gb: Vec<&[char]> = given_b.iter().map(Vec::as_slice).collect();
        [
            ratio(&text(&ga, ""), &text(&gb, "")),
            ratio(&text(&sa, " "), &text(&sb, " ")),
            ratio(&text(&pa, " "), &text(&pb, " ")),
            ratio(&text(&pa, ""), &text(&pb, "")),
        ]
        .into_iter()
        .fold(0.0, f64::max)
    }

    #[test]
    fn score_is_the_plain_maximum() {
        let mut rng = Lcg(4);
        let letters = ['a', 'b', 'c', 'd', 'e'];
        for _ in 0..20_000 {
            let name = |rng: &mut Lcg| {
                (0..1 + rng.next() % 4)
                    .map(|_| rng.word(&letters))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let (a, b) = (name(&mut rng), name(&mut rng));
            let (x, y) = (score(&a, &b), plain_score(&a, &b));
            assert!((x - y).abs() < 1e-12, "{a:?} / {b:?}: {x} vs {y}");
        }
        for (a, b) in SAME.iter().chain(DIFFERENT) {
            let (a, b) = (normalize(a), normalize(b));
            assert!(
                (score(&a, &b) - plain_score(&a, &b)).abs() < 1e-12,
                "{a} / {b}"
            );
        }
    }

    #[test]
    fn identical_reordered_and_empty() {
        assert_eq!(score("zhang wei", "zhang wei"), 1.0);
        assert_eq!(score("zhang wei", "wei zhang"), 1.0);
        assert_eq!(score("", ""), 0.0);
        assert_eq!(score("zhang wei", ""), 0.0);
        assert_eq!(score("abc", "xyz"), 0.0);
        // The known weak spot: a different distinctive word among long shared ones.
        let v = s(
            "Karming Technology Electronics",
            "Parsming Technology Electronics",
        );
        assert!((v - (1.0 - 2.0 / 31.0)).abs() < 1e-12, "{v}");
    }
}
