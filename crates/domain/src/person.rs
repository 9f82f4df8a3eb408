//! A person the cooperative follows, from first contact (LIF-01, LIF-03): identity, contact,
//! situation at entry and the reference lists each cooperative configures. Knows nothing of
//! storage; codes of configurable lists are checked against the cooperative's lists by the caller.

use crate::account::Email;
use crate::cooperative::parse_postcode;
use crate::validation::{FieldErrors, optional_text, required_text};
use time::Date;
use time::macros::format_description;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Gender {
    Female,
    Male,
    NonBinary,
    #[default]
    Undisclosed,
}

impl Gender {
    pub const ALL: [Gender; 4] = [
        Gender::Female,
        Gender::Male,
        Gender::NonBinary,
        Gender::Undisclosed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::NonBinary => "non_binary",
            Gender::Undisclosed => "undisclosed",
        }
    }
    pub fn parse(code: &str) -> Result<Gender, &'static str> {
        Gender::ALL
            .into_iter()
            .find(|g| g.code() == code)
            .ok_or("choice_unknown")
    }
}

/// The lists each cooperative configures (LIF-03), with the defaults a new cooperative starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefList {
    Situation,
    Prescriber,
    Education,
    Antenna,
    NonAdmissionReason,
    ExitType,
    ExitReason,
    Destination,
    /// The funding programmes coaching is charged to (issue 9, point 6).
    Funding,
}

impl RefList {
    pub const ALL: [RefList; 9] = [
        RefList::Situation,
        RefList::Prescriber,
        RefList::Education,
        RefList::Antenna,
        RefList::NonAdmissionReason,
        RefList::ExitType,
        RefList::ExitReason,
        RefList::Destination,
        RefList::Funding,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RefList::Situation => "situation",
            RefList::Prescriber => "prescriber",
            RefList::Education => "education",
            RefList::Antenna => "antenna",
            RefList::NonAdmissionReason => "non_admission_reason",
            RefList::ExitType => "exit_type",
            RefList::ExitReason => "exit_reason",
            RefList::Destination => "destination",
            RefList::Funding => "funding",
        }
    }

    pub fn parse(code: &str) -> Option<RefList> {
        RefList::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Default items: (code, French label). Cooperatives rename, add and retire items.
    pub fn defaults(self) -> &'static [(&'static str, &'static str)] {
        match self {
            RefList::Situation => &[
                ("are", "Demandeur·se d'emploi indemnisé·e (ARE)"),
                ("rsa", "Allocataire du RSA"),
                ("ass", "Allocataire de l'ASS"),
                ("aah", "Allocataire de l'AAH"),
                ("job_seeker", "Demandeur·se d'emploi sans indemnité"),
                ("employee", "Salarié·e"),
                ("student", "Étudiant·e"),
                ("none", "Aucune de ces situations"),
            ],
            RefList::Prescriber => &[
                ("france_travail", "France Travail"),
                ("mission_locale", "Mission locale"),
                ("cap_emploi", "Cap emploi"),
                ("departement", "Conseil départemental"),
                ("network", "Réseau d'accompagnement à la création"),
                ("word_of_mouth", "Bouche-à-oreille"),
                ("web", "Internet"),
                ("other", "Autre"),
            ],
            RefList::Education => &[
                ("none", "Sans diplôme"),
                ("level_3", "CAP, BEP (niveau 3)"),
                ("level_4", "Baccalauréat (niveau 4)"),
                ("level_5", "Bac + 2 (niveau 5)"),
                ("level_6", "Licence, bac + 3 (niveau 6)"),
                ("level_7", "Master, bac + 5 (niveau 7)"),
                ("level_8", "Doctorat (niveau 8)"),
            ],
            RefList::Antenna => &[("main", "Siège")],
            RefList::NonAdmissionReason => &[
                ("not_viable", "Projet pas encore viable"),
                ("regulated", "Activité réglementée incompatible"),
                ("not_cooperative", "Projet incompatible avec la coopérative"),
                ("withdrawn", "La personne a renoncé"),
                ("other", "Autre"),
            ],
            RefList::ExitType => &[
                ("employment", "Emploi salarié"),
                (
                    "own_business",
                    "Création d'entreprise hors de la coopérative",
                ),
                ("training", "Formation"),
                ("stopped", "Arrêt de l'activité"),
                ("deadline", "Non associé·e à l'échéance"),
                ("other", "Autre"),
            ],
            RefList::ExitReason => &[
                ("revenue", "Chiffre d'affaires insuffisant"),
                ("personal", "Raisons personnelles"),
                ("project_change", "Changement de projet"),
                ("health", "Santé"),
                ("other", "Autre"),
            ],
            RefList::Funding => &[
                ("region", "Région — accompagnement à la création"),
                ("france_travail", "France Travail"),
                ("esf", "Fonds social européen (FSE+)"),
                ("own", "Fonds propres de la coopérative"),
            ],
            RefList::Destination => &[
                ("cdi", "CDI"),
                ("cdd", "CDD ou intérim"),
                ("own_company", "Sa propre entreprise"),
                ("job_seeking", "Recherche d'emploi"),
                ("training", "Formation"),
                ("retirement", "Retraite"),
                ("unknown", "Inconnue"),
            ],
        }
    }

    /// Positive exits per the usual funder mapping (REP-04) — configurable later.
    pub fn is_positive_exit(code: &str) -> bool {
        matches!(code, "employment" | "own_business" | "training")
    }
}

/// Text folded for search: lowercase, French accents removed ("Hélène" matches "helene").
pub fn search_key(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

/// A French activity code (NAF rév. 2): `62.01Z`.
pub fn parse_naf(input: &str) -> Result<Option<String>, &'static str> {
    let t: String = input
        .trim()
        .to_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    let b = t.as_bytes();
    let ok = b.len() == 6
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b'.'
        && b[3].is_ascii_digit()
        && b[4].is_ascii_digit()
        && b[5].is_ascii_uppercase();
    if ok { Ok(Some(t)) } else { Err("naf_format") }
}

/// A date typed as `YYYY-MM-DD` (what an HTML date field sends).
pub fn parse_date(input: &str) -> Result<Date, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Err("required");
    }
    Date::parse(t, format_description!("[year]-[month]-[day]")).map_err(|_| "date_format")
}

pub fn parse_optional_date(input: &str) -> Result<Option<Date>, &'static str> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(input).map(Some)
    }
}

/// A French phone number, kept as typed but with only digits, spaces, dots, dashes and `+`.
pub fn parse_phone(input: &str) -> Result<Option<String>, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = t
        .chars()
        .all(|c| c.is_ascii_digit() || " .-+()".contains(c));
    if allowed && (8..=15).contains(&digits) {
        Ok(Some(t.to_owned()))
    } else {
        Err("phone_format")
    }
}

/// What the support team typed about a person.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub commune: String,
    pub birth_date: String,
    pub gender: String,
    pub situation: String,
    pub prescriber: String,
    pub education: String,
    #[serde(deserialize_with = "crate::input::tick")]
    pub qpv: bool,
    #[serde(deserialize_with = "crate::input::tick")]
    pub rural: bool,
    pub naf: String,
    pub antenna: String,
}

/// A person's validated details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonDetails {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub commune: Option<String>,
    pub birth_date: Option<Date>,
    pub gender: Gender,
    /// Codes of the cooperative's lists (LIF-03).
    pub situation: Option<String>,
    pub prescriber: Option<String>,
    pub education: Option<String>,
    pub antenna: Option<String>,
    /// Lives in a priority urban neighbourhood (QPV) / in a rural area.
    pub qpv: bool,
    pub rural: bool,
    pub naf: Option<String>,
}

fn code(input: &str) -> Option<String> {
    let t = input.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl PersonDetails {
    /// Validates every field; `today` bounds the birth date (14 to 100 years old).
    pub fn parse(input: &PersonInput, today: Date) -> Result<PersonDetails, FieldErrors> {
        let mut e = FieldErrors::new();
        let first_name = e.check("first_name", required_text(&input.first_name, 100));
        let last_name = e.check("last_name", required_text(&input.last_name, 100));
        let email = e.check(
            "email",
            if input.email.trim().is_empty() {
                Ok(None)
            } else {
                Email::parse(&input.email).map(Some)
            },
        );
        let phone = e.check("phone", parse_phone(&input.phone));
        let address = e.check("address", optional_text(&input.address, 200));
        let postcode = e.check(
            "postcode",
            if input.postcode.trim().is_empty() {
                Ok(None)
            } else {
                parse_postcode(&input.postcode).map(Some)
            },
        );
        let commune = e.check("commune", optional_text(&input.commune, 100));
        let birth_date = e.check(
            "birth_date",
            parse_optional_date(&input.birth_date).and_then(|d| match d {
                Some(d) if d > today.replace_year(today.year() - 14).unwrap_or(today) => {
                    Err("birth_date_range")
                }
                Some(d) if d < today.replace_year(today.year() - 100).unwrap_or(today) => {
                    Err("birth_date_range")
                }
                d => Ok(d),
            }),
        );
        let gender = e.check(
            "gender",
            if input.gender.trim().is_empty() {
                Ok(Gender::Undisclosed)
            } else {
                Gender::parse(input.gender.trim())
            },
        );
        let naf = e.check("naf", parse_naf(&input.naf));
        let built = (|| {
            Some(PersonDetails {
                first_name: first_name?,
                last_name: last_name?,
                email: email?,
                phone: phone?,
                address: address?,
                postcode: postcode?,
                commune: commune?,
                birth_date: birth_date?,
                gender: gender?,
                situation: code(&input.situation),
                prescriber: code(&input.prescriber),
                education: code(&input.education),
                antenna: code(&input.antenna),
                qpv: input.qpv,
                rural: input.rural,
                naf: naf?,
            })
        })();
        e.finish(built)
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// Age in whole years on `on`.
    pub fn age(&self, on: Date) -> Option<i32> {
        self.birth_date.map(|b| {
            let mut years = on.year() - b.year();
            if (on.month(), on.day()) < (b.month(), b.day()) {
                years -= 1;
            }
            years
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> PersonInput {
        PersonInput {
            first_name: "Camille".into(),
            last_name: "Martin".into(),
            birth_date: "1990-05-17".into(),
            gender: "female".into(),
            ..Default::default()
        }
    }

    #[test]
    fn lif_01_a_person_needs_only_a_name_at_first_contact() {
        let p = PersonDetails::parse(
            &PersonInput {
                first_name: "A".into(),
                last_name: "B".into(),
                ..Default::default()
            },
            date!(2026 - 11 - 29),
        )
        .unwrap();
        assert_eq!(p.gender, Gender::Undisclosed);
        assert_eq!(p.email, None);
    }

    #[test]
    fn fields_are_checked_and_reported_together() {
        let mut i = input();
        i.email = "pas-une-adresse".into();
        i.postcode = "123".into();
        i.naf = "6201".into();
        i.phone = "abc".into();
        i.birth_date = "2020-01-01".into();
        let e = PersonDetails::parse(&i, date!(2026 - 11 - 29)).unwrap_err();
        for (field, code) in [
            ("email", "email_format"),
            ("postcode", "postcode_format"),
            ("naf", "naf_format"),
            ("phone", "phone_format"),
            ("birth_date", "birth_date_range"),
        ] {
            assert_eq!(e.for_field(field).map(|f| f.code), Some(code), "{field}");
        }
    }

    #[test]
    fn age_counts_whole_years() {
        let p = PersonDetails::parse(&input(), date!(2026 - 11 - 29)).unwrap();
        assert_eq!(p.age(date!(2026 - 05 - 16)), Some(35));
        assert_eq!(p.age(date!(2026 - 05 - 17)), Some(36));
    }

    #[test]
    fn search_ignores_case_and_accents() {
        assert_eq!(
            search_key("Hélène ÉLODIE Françoise"),
            "helene elodie francoise"
        );
    }

    #[test]
    fn naf_codes_have_the_nomenclature_shape() {
        assert_eq!(parse_naf(" 62.01z "), Ok(Some("62.01Z".into())));
        assert_eq!(parse_naf(""), Ok(None));
        assert_eq!(parse_naf("62-01Z"), Err("naf_format"));
    }

    #[test]
    fn lif_03_every_list_has_defaults_with_unique_codes() {
        for list in RefList::ALL {
            let codes: std::collections::BTreeSet<&str> =
                list.defaults().iter().map(|(c, _)| *c).collect();
            assert_eq!(codes.len(), list.defaults().len(), "{list:?}");
            assert!(!codes.is_empty());
            assert_eq!(RefList::parse(list.code()), Some(list));
        }
    }
}
