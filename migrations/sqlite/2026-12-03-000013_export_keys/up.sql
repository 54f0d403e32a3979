-- The office's export-signing public keys, each with the time it was in use, so that an export
-- signed before a key was rotated still verifies. The private key lives in a file, never here.
CREATE TABLE export_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL UNIQUE,
    public_key_pem TEXT NOT NULL,
    valid_from TIMESTAMP NOT NULL,
    valid_until TIMESTAMP
);
