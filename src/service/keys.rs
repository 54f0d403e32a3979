//! The office's export-signing key. The private half lives in a file outside the database
//! (PKCS#8 PEM), created at first start or by `cordon key create`, and refused at start when
//! anyone but its owner may read it. The public halves live in the database with the time each
//! was in use, published at `/.well-known/cordon-export-key` and by `cordon key show`.

use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::SigningKey;
use rand::RngCore;
use serde::Serialize;

use super::history::stamp;
use super::ServiceError;
use crate::db::{self, DbConn};
use crate::domain::signing::{self, ExportSignature, PublishedKey};
use crate::service::export::json::CaseExport;

/// The office key, loaded.
pub struct OfficeKey {
    key: SigningKey,
    fingerprint: String,
}

impl std::fmt::Debug for OfficeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OfficeKey({})", self.fingerprint)
    }
}

impl OfficeKey {
    fn new(key: SigningKey) -> OfficeKey {
        let fingerprint = signing::fingerprint(&key.verifying_key());
        OfficeKey { key, fingerprint }
    }

    /// The SHA-256 of the public key, hex.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The public key as PEM.
    pub fn public_pem(&self) -> String {
        signing::public_pem(&self.key.verifying_key())
    }

    /// Signs an export: its reference, event count, head and export time.
    pub fn sign(&self, doc: &CaseExport) -> ExportSignature {
        signing::sign(
            &self.key,
            &doc.case.reference,
            doc.chain.events,
            doc.chain.head.as_deref().unwrap_or(""),
            &doc.exported_at,
        )
    }

    /// Signs an export in place.
    pub fn seal(&self, mut doc: CaseExport) -> CaseExport {
        doc.signature = Some(self.sign(&doc));
        doc
    }
}

/// Why the key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the export key file {path} can be read by others (mode {mode:o}); restrict it with `chmod 600 {path}`")]
    Exposed { path: String, mode: u32 },
    #[error("the export key file {path}: {message}")]
    Unreadable { path: String, message: String },
    #[error("the export key file {path} already exists; `cordon key create` replaces it only with --rotate")]
    Exists { path: String },
}

fn unreadable(path: &Path, message: impl std::fmt::Display) -> KeyError {
    KeyError::Unreadable {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

/// Refuses a key file that anyone but its owner may read or write.
fn check_private(path: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| unreadable(path, e))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Exposed {
                path: path.display().to_string(),
                mode,
            });
        }
    }
    Ok(())
}

/// Reads the key file, after checking that only its owner may read it.
pub fn load(path: &Path) -> Result<OfficeKey, KeyError> {
    check_private(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, e))?;
    let key = SigningKey::from_pkcs8_pem(&text).map_err(|e| {
        unreadable(
            path,
            format!("not an Ed25519 private key in PKCS#8 PEM ({e})"),
        )
    })?;
    Ok(OfficeKey::new(key))
}

/// Writes a new random key to `path` (mode 600), replacing an existing file only when
/// `replace`; the file is written beside it first and then moved into place. Without `replace`
/// it is linked into place, which fails when the name exists: a key another process wrote
/// meanwhile (two nodes starting at once) is never overwritten.
pub fn create(path: &Path, replace: bool) -> Result<OfficeKey, KeyError> {
    let exists = || KeyError::Exists {
        path: path.display().to_string(),
    };
    if path.exists() && !replace {
        return Err(exists());
    }
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    let key = SigningKey::from_bytes(&seed);
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| unreadable(path, e))?;
    let tmp: PathBuf = {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".new-{}", std::process::id()));
        path.with_file_name(name)
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(|e| unreadable(&tmp, e))?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| unreadable(&tmp, e))?;
    if replace {
        std::fs::rename(&tmp, path).map_err(|e| unreadable(path, e))?;
    } else {
        let linked = std::fs::hard_link(&tmp, path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(exists()),
            Err(e) => return Err(unreadable(path, e)),
        }
    }
    Ok(OfficeKey::new(key))
}

/// The key at `path`, created there if there is none yet; and whether it was created. When
/// another process creates it at the same moment, its key is the one used.
pub fn load_or_create(path: &Path) -> Result<(OfficeKey, bool), KeyError> {
    if path.exists() {
        return Ok((load(path)?, false));
    }
    match create(path, false) {
        Ok(key) => Ok((key, true)),
        Err(KeyError::Exists { .. }) => Ok((load(path)?, false)),
        Err(e) => Err(e),
    }
}

/// Records `key` as the key in use from `now` (retiring the one before it); refuses a key
/// that was retired before. Returns whether it is new.
pub fn register(
    conn: &mut DbConn,
    key: &OfficeKey,
    now: chrono::NaiveDateTime,
) -> Result<bool, ServiceError> {
    let pem = key.public_pem();
    let done = db::write::<_, ServiceError, _>(conn, |conn| {
        Ok(db::export_keys::make_current(
            conn,
            key.fingerprint(),
            &pem,
            now,
        )?)
    })?;
    match done {
        db::export_keys::Registered::Already => Ok(false),
        db::export_keys::Registered::New => Ok(true),
        db::export_keys::Registered::Retired(at) => Err(ServiceError::Conflict(format!(
            "the export key {} was retired at {}; create a new one with `cordon key create --rotate`",
            signing::short_fingerprint(key.fingerprint()),
            stamp(at)
        ))),
    }
}

/// The office's key list as published.
#[derive(Clone, Debug, Serialize)]
pub struct KeyList {
    pub algorithm: &'static str,
    /// The fingerprint of the key in use.
    pub current: Option<String>,
    /// Every key, oldest first, with the time it was in use.
    pub keys: Vec<PublishedKey>,
}

/// Every key the office has used, oldest first.
pub fn published(conn: &mut DbConn) -> Result<KeyList, ServiceError> {
    let keys: Vec<PublishedKey> = db::export_keys::all(conn)?
        .into_iter()
        .map(|k| PublishedKey {
            fingerprint: k.fingerprint,
            public_key_pem: k.public_key_pem,
            valid_from: stamp(k.valid_from),
            valid_until: k.valid_until.map(stamp),
        })
        .collect();
    let current = keys
        .iter()
        .rev()
        .find(|k| k.valid_until.is_none())
        .map(|k| k.fingerprint.clone());
    Ok(KeyList {
        algorithm: signing::ALGORITHM,
        current,
        keys,
    })
}

/// The office key at `path` (created there at first use) registered as the key in use: what
/// `cordon serve` does at start and the command line before it signs.
pub fn open(conn: &mut DbConn, path: &Path) -> Result<OfficeKey, String> {
    let (key, created) = load_or_create(path).map_err(|e| e.to_string())?;
    if created {
        tracing::info!(path = %path.display(), fingerprint = key.fingerprint(), "export key created");
    }
    let now = chrono::Utc::now().naive_utc();
    register(conn, &key, now).map_err(|e| e.to_string())?;
    Ok(key)
}
