//! The cooperative's directory: each member's public profile, with what they offer, tags, sector
//! and territory; personal contact details are private unless the person shows them.

use crate::person::{parse_naf, parse_phone};
use crate::validation::{FieldErrors, optional_text};

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub headline: String,
    pub offer: String,
    pub tags: String,
    pub territory: String,
    pub naf: String,
    pub phone: String,
    #[serde(deserialize_with = "crate::input::tick")]
    pub listed: bool,
    #[serde(deserialize_with = "crate::input::tick")]
    pub show_email: bool,
    #[serde(deserialize_with = "crate::input::tick")]
    pub show_phone: bool,
}

/// A validated profile. Tags are lowercase, unique, sorted, at most 12 of 40 characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub headline: Option<String>,
    pub offer: Option<String>,
    pub tags: Vec<String>,
    pub territory: Option<String>,
    pub naf: Option<String>,
    pub phone: Option<String>,
    /// Appears in the directory at all.
    pub listed: bool,
    pub show_email: bool,
    pub show_phone: bool,
}

pub fn parse_tags(input: &str) -> Result<Vec<String>, &'static str> {
    let mut tags: Vec<String> = input
        .split([',', ';', '\n'])
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    if tags.len() > 12 || tags.iter().any(|t| t.chars().count() > 40) {
        return Err("tags_too_many");
    }
    Ok(tags)
}

impl Profile {
    pub fn parse(input: &ProfileInput) -> Result<Profile, FieldErrors> {
        let mut e = FieldErrors::new();
        let headline = e.check("headline", optional_text(&input.headline, 120));
        let offer = e.check("offer", optional_text(&input.offer, 2000));
        let tags = e.check("tags", parse_tags(&input.tags));
        let territory = e.check("territory", optional_text(&input.territory, 100));
        let naf = e.check("naf", parse_naf(&input.naf));
        let phone = e.check("phone", parse_phone(&input.phone));
        if input.show_phone && phone.as_ref().is_some_and(|p| p.is_none()) {
            e.add("phone", "phone_needed");
        }
        let built = (|| {
            Some(Profile {
                headline: headline?,
                offer: offer?,
                tags: tags?,
                territory: territory?,
                naf: naf?,
                phone: phone?,
                listed: input.listed,
                show_email: input.show_email,
                show_phone: input.show_phone,
            })
        })();
        e.finish(built)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised() {
        assert_eq!(
            parse_tags(" Graphisme, logo;Graphisme\n"),
            Ok(vec!["graphisme".into(), "logo".into()])
        );
        assert_eq!(
            parse_tags(
                &"a,"
                    .repeat(13)
                    .chars()
                    .enumerate()
                    .map(|(i, c)| if c == 'a' {
                        char::from(b'a' + (i % 26) as u8)
                    } else {
                        c
                    })
                    .collect::<String>()
            ),
            Err("tags_too_many")
        );
    }

    #[test]
    fn personal_details_are_private_by_default() {
        let p = Profile::parse(&ProfileInput {
            headline: "Graphiste".into(),
            ..Default::default()
        })
        .unwrap();
        assert!(!p.listed && !p.show_email && !p.show_phone);
        let e = Profile::parse(&ProfileInput {
            show_phone: true,
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.for_field("phone").map(|f| f.code), Some("phone_needed"));
    }
}
