//! The office's signature on exported cases (Ed25519, `ed25519-dalek`). A case export proves
//! only that it is consistent with itself: whoever rewrites every event can rewrite every hash
//! too. The signature closes that: it covers the case reference, the number of events, the
//! head hash and the export time, so a rewritten history (a new head) no longer matches it, and
//! only the holder of the office's private key can make a new one.
//!
//! Keys are published with their validity (the well-known key list), so that an export signed
//! before a key was rotated still verifies against the key of its time. Pure: the private key
//! comes from the caller (the key file is `service::keys`' business).

use chrono::NaiveDateTime;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePublicKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The signature scheme named in exports.
pub const ALGORITHM: &str = "ed25519";

/// What the signature covers, in this order, one per line after a fixed first line: the same
/// bytes on every machine.
pub fn message(reference: &str, events: usize, head: &str, exported_at: &str) -> Vec<u8> {
    format!("cordon-case-export-signature-v1\n{reference}\n{events}\n{head}\n{exported_at}")
        .into_bytes()
}

/// The fingerprint of a public key: the SHA-256 of its 32 bytes, in hex.
pub fn fingerprint(key: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A fingerprint as people read it: the first 16 bytes in groups of four hex digits.
pub fn short_fingerprint(fingerprint: &str) -> String {
    let head: String = fingerprint.chars().take(32).collect();
    head.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A public key as a PEM document (SubjectPublicKeyInfo), readable by OpenSSL.
pub fn public_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(LineEnding::LF).unwrap_or_default()
}

/// The signature block of an export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExportSignature {
    /// Always `ed25519`.
    #[schema(example = "ed25519")]
    pub algorithm: String,
    /// The SHA-256 of the signing key's 32 bytes, hex.
    pub key_fingerprint: String,
    /// The signing key's 32 bytes, hex (check it against the office's published key list).
    pub public_key: String,
    /// The signature over `cordon-case-export-signature-v1`, the reference, the event count,
    /// the head hash and `exported_at`, one per line; hex.
    pub value: String,
}

/// Signs an export's summary with the office key.
pub fn sign(
    key: &SigningKey,
    reference: &str,
    events: usize,
    head: &str,
    exported_at: &str,
) -> ExportSignature {
    let public = key.verifying_key();
    let sig = key.sign(&message(reference, events, head, exported_at));
    ExportSignature {
        algorithm: ALGORITHM.to_string(),
        key_fingerprint: fingerprint(&public),
        public_key: hex::encode(public.as_bytes()),
        value: hex::encode(sig.to_bytes()),
    }
}

/// A public key of the office with the time it was in use (`until` open for the current key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedKey {
    pub fingerprint: String,
    /// PEM (SubjectPublicKeyInfo).
    pub public_key_pem: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub valid_from: String,
    pub valid_until: Option<String>,
}

/// A key a verifier trusts, with its validity.
#[derive(Clone, Debug)]
pub struct Trusted {
    pub key: VerifyingKey,
    pub valid_from: Option<NaiveDateTime>,
    pub valid_until: Option<NaiveDateTime>,
}

impl Trusted {
    /// Reads a public key from PEM text.
    pub fn from_pem(pem: &str) -> Result<Trusted, String> {
        let key = VerifyingKey::from_public_key_pem(pem.trim())
            .map_err(|e| format!("not an Ed25519 public key in PEM form: {e}"))?;
        Ok(Trusted {
            key,
            valid_from: None,
            valid_until: None,
        })
    }

    /// Reads the keys of a file: a PEM public key, or the office's published key list (the
    /// JSON of `/.well-known/cordon-export-key`, or `cordon key show --json`).
    pub fn read_all(text: &str) -> Result<Vec<Trusted>, String> {
        if text.trim_start().starts_with("-----BEGIN") {
            return Ok(vec![Trusted::from_pem(text)?]);
        }
        #[derive(Deserialize)]
        struct List {
            keys: Vec<PublishedKey>,
        }
        let list: List = serde_json::from_str(text).map_err(|e| {
            format!("neither a PEM public key nor the office's key list (JSON): {e}")
        })?;
        let at = |s: &Option<String>| {
            s.as_deref()
                .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%SZ").ok())
        };
        list.keys
            .iter()
            .map(|k| {
                Ok(Trusted {
                    valid_from: at(&Some(k.valid_from.clone())),
                    valid_until: at(&k.valid_until),
                    ..Trusted::from_pem(&k.public_key_pem)?
                })
            })
            .collect()
    }
}

/// Why a signature does not check out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the export is not signed")]
    Unsigned,
    #[error("the signature block is malformed: {0}")]
    Malformed(String),
    #[error("signed by key {0}, which is not among the keys given")]
    UnknownKey(String),
    #[error("signed by key {fingerprint} at {at}, outside the time that key was in use")]
    OutsideValidity { fingerprint: String, at: String },
    #[error("the signature does not match the export's reference, event count, head and time: the file was changed after it was signed")]
    Mismatch,
}

/// Checks an export's signature against the keys a verifier trusts; the fingerprint of the
/// key that signed it.
pub fn verify(
    signature: Option<&ExportSignature>,
    trusted: &[Trusted],
    reference: &str,
    events: usize,
    head: &str,
    exported_at: &str,
) -> Result<String, SignatureError> {
    let s = signature.ok_or(SignatureError::Unsigned)?;
    if s.algorithm != ALGORITHM {
        return Err(SignatureError::Malformed(format!(
            "algorithm {:?}",
            s.algorithm
        )));
    }
    let key = trusted
        .iter()
        .find(|t| fingerprint(&t.key) == s.key_fingerprint)
        .ok_or_else(|| SignatureError::UnknownKey(short_fingerprint(&s.key_fingerprint)))?;
    if hex::encode(key.key.as_bytes()) != s.public_key {
        return Err(SignatureError::Malformed(
            "the public key does not match its fingerprint".into(),
        ));
    }
    let at = NaiveDateTime::parse_from_str(exported_at, "%Y-%m-%dT%H:%M:%SZ")
        .map_err(|_| SignatureError::Malformed(format!("export time {exported_at:?}")))?;
    let before = key.valid_from.is_some_and(|from| at < from);
    let after = key.valid_until.is_some_and(|until| at >= until);
    if before || after {
        return Err(SignatureError::OutsideValidity {
            fingerprint: short_fingerprint(&s.key_fingerprint),
            at: exported_at.to_string(),
        });
    }
    let bytes: [u8; 64] = hex::decode(&s.value)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| SignatureError::Malformed("the signature is not 64 hex bytes".into()))?;
    key.key
        .verify(
            &message(reference, events, head, exported_at),
            &Signature::from_bytes(&bytes),
        )
        .map_err(|_| SignatureError::Mismatch)?;
    Ok(s.key_fingerprint.clone())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    fn trusted(k: &SigningKey) -> Trusted {
        Trusted {
            key: k.verifying_key(),
            valid_from: None,
            valid_until: None,
        }
    }

    const AT: &str = "2026-12-03T09:00:00Z";

    #[test]
    fn a_signature_verifies_and_names_its_key() {
        let k = key(7);
        let s = sign(&k, "CFN-2022-00002", 31, "ab12", AT);
        let fp = verify(Some(&s), &[trusted(&k)], "CFN-2022-00002", 31, "ab12", AT).unwrap();
        assert_eq!(fp, fingerprint(&k.verifying_key()));
        assert_eq!(short_fingerprint(&fp).len(), 39);
    }

    #[test]
    fn any_change_to_what_was_signed_is_caught() {
        let k = key(7);
        let s = sign(&k, "CFN-2022-00002", 31, "ab12", AT);
        let t = [trusted(&k)];
        // A rewritten history has another head; one event more or less another count.
        for (r, n, h, at) in [
            ("CFN-2022-00003", 31, "ab12", AT),
            ("CFN-2022-00002", 30, "ab12", AT),
            ("CFN-2022-00002", 31, "ab13", AT),
            ("CFN-2022-00002", 31, "ab12", "2026-12-03T09:00:01Z"),
        ] {
            assert_eq!(
                verify(Some(&s), &t, r, n, h, at),
                Err(SignatureError::Mismatch)
            );
        }
        // Another key, or none.
        let other = key(8);
        let forged = sign(&other, "CFN-2022-00002", 31, "ab12", AT);
        assert!(matches!(
            verify(Some(&forged), &t, "CFN-2022-00002", 31, "ab12", AT),
            Err(SignatureError::UnknownKey(_))
        ));
        // A forger who swaps in his own key bytes under the office's fingerprint.
        let mut swapped = forged.clone();
        swapped.key_fingerprint = s.key_fingerprint.clone();
        assert!(matches!(
            verify(Some(&swapped), &t, "CFN-2022-00002", 31, "ab12", AT),
            Err(SignatureError::Malformed(_))
        ));
        assert_eq!(
            verify(None, &t, "CFN-2022-00002", 31, "ab12", AT),
            Err(SignatureError::Unsigned)
        );
    }

    #[test]
    fn a_rotated_key_verifies_the_exports_of_its_time_only() {
        let old = key(1);
        let new = key(2);
        let list = serde_json::json!({"keys": [
            {"fingerprint": fingerprint(&old.verifying_key()), "public_key_pem": public_pem(&old.verifying_key()),
             "valid_from": "2025-01-01T00:00:00Z", "valid_until": "2026-06-01T00:00:00Z"},
            {"fingerprint": fingerprint(&new.verifying_key()), "public_key_pem": public_pem(&new.verifying_key()),
             "valid_from": "2026-06-01T00:00:00Z", "valid_until": null},
        ]});
        let t = Trusted::read_all(&list.to_string()).unwrap();
        let then = "2026-01-15T10:00:00Z";
        let s = sign(&old, "CFN-2026-00001", 3, "cd", then);
        assert!(verify(Some(&s), &t, "CFN-2026-00001", 3, "cd", then).is_ok());
        // The old key signing after it was retired is refused.
        let late = sign(&old, "CFN-2026-00001", 3, "cd", AT);
        assert!(matches!(
            verify(Some(&late), &t, "CFN-2026-00001", 3, "cd", AT),
            Err(SignatureError::OutsideValidity { .. })
        ));
        let s = sign(&new, "CFN-2026-00001", 3, "cd", AT);
        assert!(verify(Some(&s), &t, "CFN-2026-00001", 3, "cd", AT).is_ok());
        // A single PEM key is read too.
        let one = Trusted::read_all(&public_pem(&new.verifying_key())).unwrap();
        assert_eq!(one.len(), 1);
        assert!(Trusted::read_all("hello").is_err());
    }
}
