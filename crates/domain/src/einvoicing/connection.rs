//! The cooperative's connection to its approved platform (EIN-03): where its services are, the
//! OAuth2 client Essaim signs in with, and the syntax invoices are deposited in (EIN-10).

use crate::validation::{FieldErrors, required_text};

/// The syntax of deposited invoices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// Factur-X, profile EN 16931: the PDF with its XML (EIN-10's target).
    FacturX,
    /// The CII XML alone.
    Cii,
}

impl Syntax {
    pub fn code(self) -> &'static str {
        match self {
            Syntax::FacturX => "factur-x",
            Syntax::Cii => "cii",
        }
    }
    pub fn parse(code: &str) -> Option<Syntax> {
        match code {
            "factur-x" => Some(Syntax::FacturX),
            "cii" => Some(Syntax::Cii),
            _ => None,
        }
    }
}

/// A valid connection, its secret apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub flow_url: String,
    pub directory_url: String,
    pub token_url: String,
    pub client_id: String,
    pub syntax: Syntax,
}

/// The connection as typed; an empty secret keeps the one already recorded.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConnectionInput {
    pub flow_url: String,
    pub directory_url: String,
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub syntax: String,
}

/// A platform's address: `https://…`, or `http://` on this machine only (a conformance or demo
/// platform); at most 500 characters, no spaces.
pub fn parse_platform_url(text: &str) -> Result<String, &'static str> {
    let t = text.trim().trim_end_matches('/');
    if t.is_empty() {
        return Err("required");
    }
    if t.len() > 500 || t.chars().any(char::is_whitespace) {
        return Err("url_format");
    }
    let rest = if let Some(rest) = t.strip_prefix("https://") {
        rest
    } else if let Some(rest) = t.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return Err("url_https");
        }
        rest
    } else {
        return Err("url_format");
    };
    if rest.split(['/', '?', '#']).next().is_none_or(str::is_empty) {
        return Err("url_format");
    }
    Ok(t.to_owned())
}

impl ConnectionInput {
    /// Each invalid field reported; `has_secret`: a secret is already recorded (the field may
    /// stay empty). Returns the connection and the new secret, if one was typed.
    pub fn parse(&self, has_secret: bool) -> Result<(Connection, Option<String>), FieldErrors> {
        let mut e = FieldErrors::new();
        let flow_url = e.check("flow_url", parse_platform_url(&self.flow_url));
        let directory_url = e.check("directory_url", parse_platform_url(&self.directory_url));
        let token_url = e.check("token_url", parse_platform_url(&self.token_url));
        let client_id = e.check("client_id", required_text(&self.client_id, 200));
        let secret = self.client_secret.trim();
        let secret = if secret.is_empty() {
            if !has_secret {
                e.add("client_secret", "required");
            }
            None
        } else if secret.chars().count() > 500 {
            e.add("client_secret", "too_long");
            None
        } else {
            Some(secret.to_owned())
        };
        let syntax = e.check(
            "syntax",
            Syntax::parse(self.syntax.trim()).ok_or("choice_unknown"),
        );
        match (flow_url, directory_url, token_url, client_id, syntax) {
            (
                Some(flow_url),
                Some(directory_url),
                Some(token_url),
                Some(client_id),
                Some(syntax),
            ) if e.is_empty() => Ok((
                Connection {
                    flow_url,
                    directory_url,
                    token_url,
                    client_id,
                    syntax,
                },
                secret,
            )),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> ConnectionInput {
        ConnectionInput {
            flow_url: "https://api.pa.example/flow-service/".into(),
            directory_url: "https://api.pa.example/directory-service".into(),
            token_url: "https://auth.pa.example/oauth2/token".into(),
            client_id: "coop-essaim".into(),
            client_secret: "s3cret".into(),
            syntax: "factur-x".into(),
        }
    }

    #[test]
    fn a_connection_is_read_with_its_secret_apart() {
        let (c, secret) = typed().parse(false).unwrap();
        assert_eq!(c.flow_url, "https://api.pa.example/flow-service");
        assert_eq!(c.syntax, Syntax::FacturX);
        assert_eq!(secret.as_deref(), Some("s3cret"));
        // Once recorded, an empty secret keeps it.
        let mut again = typed();
        again.client_secret = String::new();
        assert_eq!(again.parse(true).unwrap().1, None);
        assert_eq!(
            again
                .parse(false)
                .unwrap_err()
                .for_field("client_secret")
                .map(|e| e.code),
            Some("required")
        );
    }

    #[test]
    fn platforms_are_reached_over_https_except_on_this_machine() {
        assert_eq!(
            parse_platform_url("http://api.pa.example"),
            Err("url_https")
        );
        assert_eq!(parse_platform_url("ftp://x"), Err("url_format"));
        assert_eq!(parse_platform_url("https://"), Err("url_format"));
        assert_eq!(parse_platform_url("https://a b"), Err("url_format"));
        assert_eq!(
            parse_platform_url("http://127.0.0.1:8091/flow-service"),
            Ok("http://127.0.0.1:8091/flow-service".into())
        );
        let mut bad = typed();
        bad.token_url = "pa.example/token".into();
        bad.syntax = "pdf".into();
        bad.client_id = " ".into();
        let e = bad.parse(true).unwrap_err();
        for field in ["token_url", "syntax", "client_id"] {
            assert!(e.for_field(field).is_some(), "{field}");
        }
    }
}
