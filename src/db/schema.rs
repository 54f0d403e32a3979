//! Table definitions shared by both backends (portable column types only).

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        client_addr -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        label -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        scope_key -> Text,
        failed_at -> Timestamp,
        weighing -> Bool,
    }
}

diesel::table! {
    imports (id) {
        id -> BigInt,
        sha256 -> Text,
        name -> Text,
        format -> Text,
        actor -> Text,
        at -> Timestamp,
        cases -> BigInt,
        first_reference -> Nullable<Text>,
        last_reference -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor -> Nullable<Text>,
        action -> Text,
        detail -> Text,
    }
}

diesel::table! {
    export_keys (id) {
        id -> BigInt,
        fingerprint -> Text,
        public_key_pem -> Text,
        valid_from -> Timestamp,
        valid_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    closure_days (day) {
        day -> Date,
        label -> Text,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        reference -> Text,
        title -> Text,
        source -> Text,
        summary -> Text,
        tx_kind -> Text,
        tx_date -> Nullable<Date>,
        tx_value_usd -> Nullable<BigInt>,
        right_access -> Bool,
        right_exclude -> Bool,
        right_improve -> Bool,
        right_affix -> Bool,
        intended_use -> Text,
        power_mw -> Nullable<Double>,
        lat -> Double,
        lon -> Double,
        address -> Text,
        us_state -> Nullable<Text>,
        county_fips -> Nullable<Text>,
        acreage -> Nullable<Double>,
        urban_area -> Bool,
        single_housing_unit -> Bool,
        in_port -> Bool,
        commercial_office -> Bool,
        state -> Text,
        outcome -> Nullable<Text>,
        state_since -> Date,
        assignee -> Nullable<Text>,
        lead_agency -> Nullable<Text>,
        created_by -> Nullable<Text>,
        received_on -> Date,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        tolled_since -> Nullable<Date>,
        extension_used -> Bool,
        filing_number -> Integer,
        next_due -> Date,
        search_text -> Text,
        jurisdiction -> Nullable<Text>,
        risk_score -> Nullable<Integer>,
        risk_band -> Nullable<Text>,
        risk_overrides -> Text,
    }
}

diesel::table! {
    case_screenings (case_id) {
        case_id -> BigInt,
        body -> Text,
    }
}

diesel::table! {
    case_counts (state) {
        state -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    due_counts (day) {
        day -> Date,
        n -> BigInt,
    }
}

diesel::table! {
    sites (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        part -> Nullable<Integer>,
        lat -> Double,
        lon -> Double,
        boundary_radius_mi -> Double,
        criticality -> Integer,
        us_state -> Nullable<Text>,
        listed_from -> Nullable<Date>,
        listed_until -> Nullable<Date>,
        counties -> Text,
        notes -> Text,
        boundary -> Nullable<Text>,
        retired -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    watchlist_entries (id) {
        id -> BigInt,
        list -> Text,
        name -> Text,
        aliases -> Text,
        country -> Nullable<Text>,
        program -> Text,
        source -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rule_sets (id) {
        id -> BigInt,
        version -> Text,
        name -> Text,
        body -> Text,
        loaded_by -> Text,
        loaded_at -> Timestamp,
        active -> Bool,
    }
}

diesel::table! {
    watch_decisions (id) {
        id -> BigInt,
        case_id -> BigInt,
        party -> Text,
        entry_id -> BigInt,
        decision -> Text,
        rationale -> Text,
        decided_by -> Text,
        decided_at -> Timestamp,
    }
}

diesel::table! {
    parties (id) {
        id -> BigInt,
        case_id -> BigInt,
        position -> Integer,
        key -> Text,
        name -> Text,
        country -> Text,
        role -> Text,
        ownership_pct -> Nullable<Double>,
        owns -> Nullable<Text>,
        government_controlled -> Bool,
        state_owned -> Bool,
        name_key -> Text,
    }
}

diesel::table! {
    deadlines (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        label -> Text,
        starts -> Date,
        due -> Date,
        is_open -> Bool,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    conditions (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        text -> Text,
        due -> Nullable<Date>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        case_id -> BigInt,
        seq -> BigInt,
        at -> Timestamp,
        actor -> Text,
        kind -> Text,
        payload -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        case_id -> BigInt,
        name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
        content -> Binary,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(parties -> cases (case_id));
diesel::joinable!(deadlines -> cases (case_id));
diesel::joinable!(conditions -> cases (case_id));
diesel::joinable!(events -> cases (case_id));
diesel::joinable!(attachments -> cases (case_id));
diesel::joinable!(case_screenings -> cases (case_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    api_tokens,
    login_failures,
    audit_log,
    export_keys,
    imports,
);

diesel::table! {
    chart_counts (chart, bucket) {
        chart -> Text,
        bucket -> Text,
        n -> BigInt,
    }
}
