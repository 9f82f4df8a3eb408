//! What people type arrives as typed: text fields as text (the rules of each input parse and
//! check them, with an error per field), tick boxes as yes or no. Input structs derive
//! `Deserialize` with `#[serde(default)]`, so a web form maps onto them directly.

use serde::{Deserialize, Deserializer};

/// A tick box: a browser sends `on` when it is ticked and nothing when it is not; a JSON body
/// sends a boolean.
pub fn tick<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Tick {
        Bool(bool),
        Text(String),
    }
    Ok(match Tick::deserialize(d)? {
        Tick::Bool(b) => b,
        Tick::Text(s) => matches!(s.trim(), "on" | "true" | "1"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Form {
        name: String,
        #[serde(deserialize_with = "tick")]
        shared: bool,
    }

    fn form(s: &str) -> Form {
        // The same shape as an URL-encoded form: every value a string.
        let pairs: std::collections::BTreeMap<String, String> = s
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let value =
            serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(pairs.into_iter());
        Form::deserialize(value).unwrap_or_default()
    }

    #[test]
    fn a_ticked_box_is_on_and_a_missing_one_is_off() {
        assert!(form("name=A&shared=on").shared);
        assert!(!form("name=A").shared);
        assert!(!form("name=A&shared=").shared);
        assert_eq!(form("name=A").name, "A");
    }
}
