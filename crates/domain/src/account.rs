//! People who sign in: e-mail addresses, display names and the password policy.
//! Hashing lives in the application layer; this module only says what is acceptable.

/// A normalised e-mail address (trimmed, lowercased), shaped `local@domain.tld`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, &'static str> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err("required");
        }
        if s.len() > 254 {
            return Err("too_long");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("email_format");
        };
        let ok = !local.is_empty()
            && !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
            && !domain.contains('@');
        if ok {
            Ok(Email(s))
        } else {
            Err("email_format")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Minimum and maximum password length, in characters (ANSSI and NIST 800-63B recommend length
/// over composition rules).
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 200;

/// A password acceptable as a new password. The text is kept only until it is hashed.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str, email: Option<&Email>) -> Result<NewPassword, &'static str> {
        let n = input.chars().count();
        if n < PASSWORD_MIN_CHARS {
            return Err("password_too_short");
        }
        if n > PASSWORD_MAX_CHARS {
            return Err("too_long");
        }
        if input.chars().all(|c| input.starts_with(c)) {
            return Err("password_too_simple");
        }
        if email.is_some_and(|e| {
            input
                .to_lowercase()
                .contains(e.as_str().split('@').next().unwrap_or(""))
        }) {
            return Err("password_contains_email");
        }
        Ok(NewPassword(input.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword([redacted])")
    }
}

/// A person's displayed name.
pub fn parse_display_name(input: &str) -> Result<String, &'static str> {
    crate::validation::required_text(input, 120)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("  Alice@Exemple.FR ").unwrap().as_str(),
            "alice@exemple.fr"
        );
        assert_eq!(Email::parse("alice"), Err("email_format"));
        assert_eq!(Email::parse("alice@localhost"), Err("email_format"));
        assert_eq!(Email::parse("a b@exemple.fr"), Err("email_format"));
        assert_eq!(Email::parse(""), Err("required"));
    }

    #[test]
    fn passwords_must_be_long_and_not_trivial() {
        let email = Email::parse("camille@exemple.fr").unwrap();
        assert!(NewPassword::parse("une phrase de passe", Some(&email)).is_ok());
        assert_eq!(
            NewPassword::parse("court", None).err(),
            Some("password_too_short")
        );
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaa", None).err(),
            Some("password_too_simple")
        );
        assert_eq!(
            NewPassword::parse("camille2026!!", Some(&email)).err(),
            Some("password_contains_email")
        );
    }

    #[test]
    fn a_new_password_never_prints() {
        let p = NewPassword::parse("une phrase de passe", None).unwrap();
        assert_eq!(format!("{p:?}"), "NewPassword([redacted])");
    }
}

/// The language a person reads Essaim in. French first (GEN), English available.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }
    pub fn parse(code: &str) -> Option<Locale> {
        match code {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// A person who can sign in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: crate::ids::UserId,
    pub email: Email,
    pub display_name: String,
    pub locale: Locale,
    /// Creates cooperatives on this deployment; sees no cooperative's data without a role in it.
    pub is_host_admin: bool,
}
