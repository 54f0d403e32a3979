//! Account names and passwords as the rest of Cordon may rely on them.

use super::ValidationErrors;

/// A login name: 2 to 32 characters, lower-case letters, digits, `.`, `_` or `-`, starting
/// with a letter or digit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        if name.len() < 2 || name.len() > 32 {
            return Err("A user name has 2 to 32 characters.".into());
        }
        let mut chars = name.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = chars.all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_' || c == '-'
        });
        if !first_ok || !rest_ok {
            return Err(
                "Use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit."
                    .into(),
            );
        }
        Ok(Username(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The shortest password Cordon accepts.
pub const MIN_PASSWORD_LEN: usize = 12;
/// The longest; argon2 would take more, but nothing longer is a password.
pub const MAX_PASSWORD_LEN: usize = 256;

/// A new password that meets the policy: 12 to 256 characters, not all one character.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let n = raw.chars().count();
        if n < MIN_PASSWORD_LEN {
            return Err(format!(
                "A password has at least {MIN_PASSWORD_LEN} characters."
            ));
        }
        if n > MAX_PASSWORD_LEN {
            return Err(format!(
                "A password has at most {MAX_PASSWORD_LEN} characters."
            ));
        }
        let mut chars = raw.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return Err("A password cannot be one character repeated.".into());
        }
        Ok(NewPassword(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Parses a name and an optional password for a new account, reporting both fields at once.
pub fn parse_new_account(
    name: &str,
    password: Option<&str>,
) -> Result<(Username, Option<NewPassword>), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let name = Username::parse(name)
        .map_err(|m| errors.add("username", m))
        .ok();
    let password = match password.filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => NewPassword::parse(p)
            .map_err(|m| errors.add("password", m))
            .ok(),
    };
    match name {
        Some(name) if errors.is_empty() => Ok((name, password)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names() {
        assert!(Username::parse("alice").is_ok());
        assert!(Username::parse("j.doe-2").is_ok());
        assert!(Username::parse("a").is_err());
        assert!(Username::parse("Alice").is_err());
        assert!(Username::parse("-alice").is_err());
        assert!(Username::parse("<script>").is_err());
        assert!(Username::parse(&"a".repeat(33)).is_err());
    }

    #[test]
    fn passwords() {
        assert!(NewPassword::parse("correct horse battery").is_ok());
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(20)).is_err());
        assert!(NewPassword::parse(&"xy".repeat(200)).is_err());
    }

    #[test]
    fn both_fields_reported() {
        let e = parse_new_account("A", Some("x")).err().unwrap_or_default();
        assert!(e.has("username") && e.has("password"));
    }
}
