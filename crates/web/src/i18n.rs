//! Message catalogs: every sentence the UI shows lives in `i18n/fr.txt` and `i18n/en.txt`
//! (`key = text`, one per line), never in templates. French is the default.

use essaim_domain::account::Locale;
use std::collections::HashMap;
use std::sync::LazyLock;

const FR: &str = include_str!("../i18n/fr.txt");
const EN: &str = include_str!("../i18n/en.txt");

/// Parses `key = text` lines; `#` starts a comment line.
pub fn parse_catalog(source: &'static str) -> HashMap<&'static str, &'static str> {
    source
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

static CATALOG_FR: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| parse_catalog(FR));
static CATALOG_EN: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| parse_catalog(EN));

/// The translator handed to every template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Tr {
        Tr { locale }
    }
    fn catalog(&self) -> &'static HashMap<&'static str, &'static str> {
        match self.locale {
            Locale::Fr => &CATALOG_FR,
            Locale::En => &CATALOG_EN,
        }
    }
    /// The text for `key`; the key itself if missing (a test forbids that).
    pub fn get<'a>(&self, key: &'a str) -> &'a str {
        self.catalog().get(key).copied().unwrap_or(key)
    }
    /// The sentence explaining a validation error code.
    pub fn error(&self, code: &str) -> String {
        let key = format!("error.{code}");
        self.catalog()
            .get(key.as_str())
            .map(|s| (*s).to_owned())
            .unwrap_or(key)
    }
    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }
    /// `{0}`-style substitution.
    pub fn fmt(&self, key: &str, args: &[&str]) -> String {
        let mut s = self.get(key).to_owned();
        for (i, a) in args.iter().enumerate() {
            s = s.replace(&format!("{{{i}}}"), a);
        }
        s
    }
}

pub fn catalog_keys(locale: Locale) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = match locale {
        Locale::Fr => CATALOG_FR.keys().copied().collect(),
        Locale::En => CATALOG_EN.keys().copied().collect(),
    };
    keys.sort_unstable();
    keys
}
