//! ISO 3166-1 alpha-2 country codes and their English short names, and the US states and
//! territories with their postal and FIPS codes. Tables only: no I/O.
//!
//! Names are the ISO short names, except where ISO's formal order reads badly in a list
//! ("Korea, Republic of" is "South Korea", "Virgin Islands, British" is "British Virgin Islands").

/// Every ISO 3166-1 alpha-2 code with its English short name, sorted by code.
pub const ALL: &[(&str, &str)] = &[
    ("AD", "Andorra"),
    ("AE", "United Arab Emirates"),
    ("AF", "Afghanistan"),
    ("AG", "Antigua and Barbuda"),
    ("AI", "Anguilla"),
    ("AL", "Albania"),
    ("AM", "Armenia"),
    ("AO", "Angola"),
    ("AQ", "Antarctica"),
    ("AR", "Argentina"),
    ("AS", "American Samoa"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("AW", "Aruba"),
    ("AX", "Åland Islands"),
    ("AZ", "Azerbaijan"),
    ("BA", "Bosnia and Herzegovina"),
    ("BB", "Barbados"),
    ("BD", "Bangladesh"),
    ("BE", "Belgium"),
    ("BF", "Burkina Faso"),
    ("BG", "Bulgaria"),
    ("BH", "Bahrain"),
    ("BI", "Burundi"),
    ("BJ", "Benin"),
    ("BL", "Saint Barthélemy"),
    ("BM", "Bermuda"),
    ("BN", "Brunei"),
    ("BO", "Bolivia"),
    ("BQ", "Bonaire, Sint Eustatius and Saba"),
    ("BR", "Brazil"),
    ("BS", "Bahamas"),
    ("BT", "Bhutan"),
    ("BV", "Bouvet Island"),
    ("BW", "Botswana"),
    ("BY", "Belarus"),
    ("BZ", "Belize"),
    ("CA", "Canada"),
    ("CC", "Cocos (Keeling) Islands"),
    ("CD", "Congo (Democratic Republic)"),
    ("CF", "Central African Republic"),
    ("CG", "Congo"),
    ("CH", "Switzerland"),
    ("CI", "Côte d'Ivoire"),
    ("CK", "Cook Islands"),
    ("CL", "Chile"),
    ("CM", "Cameroon"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CU", "Cuba"),
    ("CV", "Cabo Verde"),
    ("CW", "Curaçao"),
    ("CX", "Christmas Island"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DJ", "Djibouti"),
    ("DK", "Denmark"),
    ("DM", "Dominica"),
    ("DO", "Dominican Republic"),
    ("DZ", "Algeria"),
    ("EC", "Ecuador"),
    ("EE", "Estonia"),
    ("EG", "Egypt"),
    ("EH", "Western Sahara"),
    ("ER", "Eritrea"),
    ("ES", "Spain"),
    ("ET", "Ethiopia"),
    ("FI", "Finland"),
    ("FJ", "Fiji"),
    ("FK", "Falkland Islands"),
    ("FM", "Micronesia"),
    ("FO", "Faroe Islands"),
    ("FR", "France"),
    ("GA", "Gabon"),
    ("GB", "United Kingdom"),
    ("GD", "Grenada"),
    ("GE", "Georgia"),
    ("GF", "French Guiana"),
    ("GG", "Guernsey"),
    ("GH", "Ghana"),
    ("GI", "Gibraltar"),
    ("GL", "Greenland"),
    ("GM", "Gambia"),
    ("GN", "Guinea"),
    ("GP", "Guadeloupe"),
    ("GQ", "Equatorial Guinea"),
    ("GR", "Greece"),
    ("GS", "South Georgia and the South Sandwich Islands"),
    ("GT", "Guatemala"),
    ("GU", "Guam"),
    ("GW", "Guinea-Bissau"),
    ("GY", "Guyana"),
    ("HK", "Hong Kong"),
    ("HM", "Heard Island and McDonald Islands"),
    ("HN", "Honduras"),
    ("HR", "Croatia"),
    ("HT", "Haiti"),
    ("HU", "Hungary"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IM", "Isle of Man"),
    ("IN", "India"),
    ("IO", "British Indian Ocean Territory"),
    ("IQ", "Iraq"),
    ("IR", "Iran"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("JE", "Jersey"),
    ("JM", "Jamaica"),
    ("JO", "Jordan"),
    ("JP", "Japan"),
    ("KE", "Kenya"),
    ("KG", "Kyrgyzstan"),
    ("KH", "Cambodia"),
    ("KI", "Kiribati"),
    ("KM", "Comoros"),
    ("KN", "Saint Kitts and Nevis"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("KW", "Kuwait"),
    ("KY", "Cayman Islands"),
    ("KZ", "Kazakhstan"),
    ("LA", "Laos"),
    ("LB", "Lebanon"),
    ("LC", "Saint Lucia"),
    ("LI", "Liechtenstein"),
    ("LK", "Sri Lanka"),
    ("LR", "Liberia"),
    ("LS", "Lesotho"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("LY", "Libya"),
    ("MA", "Morocco"),
    ("MC", "Monaco"),
    ("MD", "Moldova"),
    ("ME", "Montenegro"),
    ("MF", "Saint Martin (French part)"),
    ("MG", "Madagascar"),
    ("MH", "Marshall Islands"),
    ("MK", "North Macedonia"),
    ("ML", "Mali"),
    ("MM", "Myanmar"),
    ("MN", "Mongolia"),
    ("MO", "Macao"),
    ("MP", "Northern Mariana Islands"),
    ("MQ", "Martinique"),
    ("MR", "Mauritania"),
    ("MS", "Montserrat"),
    ("MT", "Malta"),
    ("MU", "Mauritius"),
    ("MV", "Maldives"),
    ("MW", "Malawi"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("MZ", "Mozambique"),
    ("NA", "Namibia"),
    ("NC", "New Caledonia"),
    ("NE", "Niger"),
    ("NF", "Norfolk Island"),
    ("NG", "Nigeria"),
    ("NI", "Nicaragua"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NP", "Nepal"),
    ("NR", "Nauru"),
    ("NU", "Niue"),
    ("NZ", "New Zealand"),
    ("OM", "Oman"),
    ("PA", "Panama"),
    ("PE", "Peru"),
    ("PF", "French Polynesia"),
    ("PG", "Papua New Guinea"),
    ("PH", "Philippines"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("PM", "Saint Pierre and Miquelon"),
    ("PN", "Pitcairn Islands"),
    ("PR", "Puerto Rico"),
    ("PS", "Palestine"),
    ("PT", "Portugal"),
    ("PW", "Palau"),
    ("PY", "Paraguay"),
    ("QA", "Qatar"),
    ("RE", "Réunion"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("RU", "Russia"),
    ("RW", "Rwanda"),
    ("SA", "Saudi Arabia"),
    ("SB", "Solomon Islands"),
    ("SC", "Seychelles"),
    ("SD", "Sudan"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("SH", "Saint Helena, Ascension and Tristan da Cunha"),
    ("SI", "Slovenia"),
    ("SJ", "Svalbard and Jan Mayen"),
    ("SK", "Slovakia"),
    ("SL", "Sierra Leone"),
    ("SM", "San Marino"),
    ("SN", "Senegal"),
    ("SO", "Somalia"),
    ("SR", "Suriname"),
    ("SS", "South Sudan"),
    ("ST", "Sao Tome and Principe"),
    ("SV", "El Salvador"),
    ("SX", "Sint Maarten (Dutch part)"),
    ("SY", "Syria"),
    ("SZ", "Eswatini"),
    ("TC", "Turks and Caicos Islands"),
    ("TD", "Chad"),
    ("TF", "French Southern Territories"),
    ("TG", "Togo"),
    ("TH", "Thailand"),
    ("TJ", "Tajikistan"),
    ("TK", "Tokelau"),
    ("TL", "Timor-Leste"),
    ("TM", "Turkmenistan"),
    ("TN", "Tunisia"),
    ("TO", "Tonga"),
    ("TR", "Türkiye"),
    ("TT", "Trinidad and Tobago"),
    ("TV", "Tuvalu"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("UA", "Ukraine"),
    ("UG", "Uganda"),
    ("UM", "United States Minor Outlying Islands"),
    ("US", "United States"),
    ("UY", "Uruguay"),
    ("UZ", "Uzbekistan"),
    ("VA", "Vatican City"),
    ("VC", "Saint Vincent and the Grenadines"),
    ("VE", "Venezuela"),
    ("VG", "British Virgin Islands"),
    ("VI", "U.S. Virgin Islands"),
    ("VN", "Vietnam"),
    ("VU", "Vanuatu"),
    ("WF", "Wallis and Futuna"),
    ("WS", "Samoa"),
    ("YE", "Yemen"),
    ("YT", "Mayotte"),
    ("ZA", "South Africa"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
];

/// Codes that ISO lists as separate countries but that are part of the United States for CFIUS
/// purposes (31 CFR 802.227: the States, the District of Columbia and the territories).
const US_TERRITORIES: &[&str] = &["AS", "GU", "MP", "PR", "UM", "VI"];

/// Upper-cases a two-letter code, or `None` when it is not two ASCII letters.
fn normalise(code: &str) -> Option<[u8; 2]> {
    match code.as_bytes() {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
        }
        _ => None,
    }
}

/// The English short name of a country, e.g. `country_name("VG")` is "British Virgin Islands".
/// The code is matched without regard to case.
pub fn country_name(code: &str) -> Option<&'static str> {
    let code = normalise(code)?;
    ALL.binary_search_by(|(c, _)| c.as_bytes().cmp(&code[..]))
        .ok()
        .and_then(|i| ALL.get(i))
        .map(|(_, name)| *name)
}

/// Whether the code is an assigned ISO 3166-1 alpha-2 code (any case).
pub fn is_country(code: &str) -> bool {
    country_name(code).is_some()
}

/// Whether the code is the United States or one of its territories that ISO lists on its own
/// (Puerto Rico, Guam, …): a party from there is not a foreign person.
pub fn is_us(code: &str) -> bool {
    match normalise(code) {
        Some(c) => &c == b"US" || US_TERRITORIES.iter().any(|t| t.as_bytes() == &c[..]),
        None => false,
    }
}

/// A US state, the District of Columbia or an inhabited territory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsState {
    /// The two-letter postal code, e.g. "WY".
    pub code: &'static str,
    /// The two-digit FIPS code, the first two digits of its county FIPS codes, e.g. "56".
    pub fips: &'static str,
    /// The name, e.g. "Wyoming".
    pub name: &'static str,
}

const fn st(code: &'static str, fips: &'static str, name: &'static str) -> UsState {
    UsState { code, fips, name }
}

/// The 50 states, DC and the five inhabited territories, sorted by postal code.
pub const STATES: &[UsState] = &[
    st("AK", "02", "Alaska"),
    st("AL", "01", "Alabama"),
    st("AR", "05", "Arkansas"),
    st("AS", "60", "American Samoa"),
    st("AZ", "04", "Arizona"),
    st("CA", "06", "California"),
    st("CO", "08", "Colorado"),
    st("CT", "09", "Connecticut"),
    st("DC", "11", "District of Columbia"),
    st("DE", "10", "Delaware"),
    st("FL", "12", "Florida"),
    st("GA", "13", "Georgia"),
    st("GU", "66", "Guam"),
    st("HI", "15", "Hawaii"),
    st("IA", "19", "Iowa"),
    st("ID", "16", "Idaho"),
    st("IL", "17", "Illinois"),
    st("IN", "18", "Indiana"),
    st("KS", "20", "Kansas"),
    st("KY", "21", "Kentucky"),
    st("LA", "22", "Louisiana"),
    st("MA", "25", "Massachusetts"),
    st("MD", "24", "Maryland"),
    st("ME", "23", "Maine"),
    st("MI", "26", "Michigan"),
    st("MN", "27", "Minnesota"),
    st("MO", "29", "Missouri"),
    st("MP", "69", "Northern Mariana Islands"),
    st("MS", "28", "Mississippi"),
    st("MT", "30", "Montana"),
    st("NC", "37", "North Carolina"),
    st("ND", "38", "North Dakota"),
    st("NE", "31", "Nebraska"),
    st("NH", "33", "New Hampshire"),
    st("NJ", "34", "New Jersey"),
    st("NM", "35", "New Mexico"),
    st("NV", "32", "Nevada"),
    st("NY", "36", "New York"),
    st("OH", "39", "Ohio"),
    st("OK", "40", "Oklahoma"),
    st("OR", "41", "Oregon"),
    st("PA", "42", "Pennsylvania"),
    st("PR", "72", "Puerto Rico"),
    st("RI", "44", "Rhode Island"),
    st("SC", "45", "South Carolina"),
    st("SD", "46", "South Dakota"),
    st("TN", "47", "Tennessee"),
    st("TX", "48", "Texas"),
    st("UT", "49", "Utah"),
    st("VA", "51", "Virginia"),
    st("VI", "78", "U.S. Virgin Islands"),
    st("VT", "50", "Vermont"),
    st("WA", "53", "Washington"),
    st("WI", "55", "Wisconsin"),
    st("WV", "54", "West Virginia"),
    st("WY", "56", "Wyoming"),
];

/// The state or territory with this postal code (any case).
pub fn us_state(code: &str) -> Option<&'static UsState> {
    let code = normalise(code)?;
    STATES
        .binary_search_by(|s| s.code.as_bytes().cmp(&code[..]))
        .ok()
        .and_then(|i| STATES.get(i))
}

/// The state or territory with this two-digit FIPS code, e.g. "56" for Wyoming.
pub fn us_state_by_fips(fips: &str) -> Option<&'static UsState> {
    STATES.iter().find(|s| s.fips == fips)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_sorted_and_unique() {
        assert_eq!(ALL.len(), 249);
        assert!(ALL.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)));
        assert!(ALL.iter().all(|(c, n)| c.len() == 2
            && c.bytes().all(|b| b.is_ascii_uppercase())
            && !n.is_empty()));
    }

    #[test]
    fn lookups() {
        assert_eq!(country_name("US"), Some("United States"));
        assert_eq!(country_name("CN"), Some("China"));
        assert_eq!(country_name("VG"), Some("British Virgin Islands"));
        assert_eq!(country_name("ky"), Some("Cayman Islands"));
        assert_eq!(country_name("AD"), Some("Andorra"));
        assert_eq!(country_name("ZW"), Some("Zimbabwe"));
        assert!(is_country("GB") && is_country("gb"));
        assert!(!is_country("UK") && !is_country("XX") && !is_country("") && !is_country("USA"));
        assert!(!is_country("É1"));
    }

    #[test]
    fn territories_are_us() {
        assert!(is_us("US") && is_us("PR") && is_us("gu"));
        assert!(!is_us("CN") && !is_us("VG") && !is_us("USA"));
    }

    #[test]
    fn states_sorted_with_fips() {
        assert_eq!(STATES.len(), 56);
        assert!(STATES
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.code < b.code)));
        assert_eq!(us_state("wy").map(|s| s.fips), Some("56"));
        assert_eq!(us_state_by_fips("11").map(|s| s.code), Some("DC"));
        assert!(us_state("XX").is_none());
        let mut fips: Vec<&str> = STATES.iter().map(|s| s.fips).collect();
        fips.sort_unstable();
        fips.dedup();
        assert_eq!(fips.len(), STATES.len());
    }
}
