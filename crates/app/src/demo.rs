//! Deterministic demo data at any scale: cooperatives with valid legal numbers, one demo login per
//! role, and entrepreneurs and support staff with plausible French names. The same seed always
//! gives the same data. Later capabilities extend this with their own records.

use crate::secret::hash_password;
use crate::{App, AppError, audit, cooperatives};
use essaim_domain::access::RoleKind;
use essaim_domain::account::{Email, Locale};
use essaim_domain::cooperative::CooperativeInput;
use essaim_domain::identifiers::{Siren, VatNumber};
use essaim_domain::ids::CooperativeId;
use essaim_storage::account::{self as accounts, NewUser};
use essaim_storage::role as roles;
use serde_json::json;

/// The password of every demo account (printed by `essaim demo`).
pub const DEMO_PASSWORD: &str = "essaim-demo-2026";

#[derive(Clone, Copy, Debug)]
pub struct DemoOptions {
    pub cooperatives: u32,
    pub entrepreneurs: u32,
    pub years: u32,
    pub seed: u64,
}

/// The demo logins of the first cooperative, one per role, plus the host administrator.
pub fn demo_logins() -> Vec<(&'static str, &'static str)> {
    vec![
        ("hebergement@demo.essaim.coop", "host"),
        ("admin@demo.essaim.coop", RoleKind::Administrator.code()),
        ("validation@demo.essaim.coop", RoleKind::Validation.code()),
        ("comptabilite@demo.essaim.coop", RoleKind::Accounting.code()),
        ("paie@demo.essaim.coop", RoleKind::Payroll.code()),
        ("accompagnement@demo.essaim.coop", RoleKind::Coaching.code()),
        (
            "entrepreneur@demo.essaim.coop",
            RoleKind::Entrepreneur.code(),
        ),
        ("associe@demo.essaim.coop", RoleKind::Member.code()),
        ("lecture@demo.essaim.coop", RoleKind::ReadOnly.code()),
    ]
}

/// SplitMix64: small, fast, deterministic; good enough to spread demo data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

const FIRST_F: [&str; 30] = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Emma",
    "Lucie",
    "Amina",
    "Fatoumata",
    "Sophie",
    "Claire",
    "Nadia",
    "Élodie",
    "Aurélie",
    "Hélène",
    "Mathilde",
    "Yasmine",
    "Pauline",
    "Anaïs",
    "Charlotte",
    "Maëlle",
    "Zoé",
    "Salomé",
    "Louise",
    "Agathe",
    "Margaux",
    "Océane",
    "Nora",
];
const FIRST_M: [&str; 30] = [
    "Thomas", "Nicolas", "Julien", "Mehdi", "Antoine", "Hugo", "Lucas", "Karim", "Maxime",
    "Romain", "Pierre", "Samuel", "Yanis", "Baptiste", "Mathieu", "Olivier", "Arnaud", "Florian",
    "Mamadou", "Théo", "Vincent", "Quentin", "Louis", "Adrien", "Benoît", "Rémi", "Cyril",
    "Jérôme", "Malik", "Paul",
];
const LAST: [&str; 50] = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefèvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Diallo",
];
const CITIES: [(&str, &str); 16] = [
    ("Lyon", "69001"),
    ("Marseille", "13001"),
    ("Toulouse", "31000"),
    ("Nantes", "44000"),
    ("Lille", "59000"),
    ("Rennes", "35000"),
    ("Bordeaux", "33000"),
    ("Grenoble", "38000"),
    ("Montpellier", "34000"),
    ("Strasbourg", "67000"),
    ("Dijon", "21000"),
    ("Clermont-Ferrand", "63000"),
    ("Rouen", "76000"),
    ("Tours", "37000"),
    ("Limoges", "87000"),
    ("Besançon", "25000"),
];
const COOP_WORDS: [&str; 20] = [
    "Ruche",
    "Essor",
    "Envol",
    "Alvéole",
    "Pollen",
    "Ferment",
    "Tisserands",
    "Passerelle",
    "Ateliers",
    "Coudrier",
    "Canopée",
    "Équinoxe",
    "Racines",
    "Boussole",
    "Sillon",
    "Marelle",
    "Vivier",
    "Escale",
    "Fabrique",
    "Archipel",
];
const STREETS: [&str; 10] = [
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "place de la Mairie",
    "rue du Commerce",
    "boulevard Gambetta",
    "rue Pasteur",
    "rue des Tanneurs",
    "quai des Célestins",
    "rue de la Coopération",
];

/// A SIREN with a valid Luhn key, from 8 random digits.
pub fn make_siren(rng: &mut Rng) -> Siren {
    loop {
        let base = 10_000_000 + rng.below(89_999_999);
        for key in 0..10 {
            if let Ok(s) = Siren::parse(&format!("{base}{key}")) {
                return s;
            }
        }
    }
}

/// The head office SIRET of a SIREN: NIC `0001x` with the key that makes it valid.
pub fn make_siret(siren: &Siren) -> String {
    (0..10)
        .map(|k| format!("{}0001{k}", siren.as_str()))
        .find(|s| essaim_domain::identifiers::Siret::parse(s).is_ok())
        .unwrap_or_default()
}

fn ascii_slug(s: &str) -> String {
    essaim_domain::cooperative::slugify(s).replace('-', "")
}

/// What the demo created, for the command line to print.
pub struct DemoSummary {
    pub cooperatives: Vec<(CooperativeId, String, String)>,
    pub users: u64,
}

/// Seeds `opts.cooperatives` cooperatives of `opts.entrepreneurs` entrepreneurs each. The first
/// cooperative gets the demo logins of [`demo_logins`].
pub async fn seed(app: &App, opts: DemoOptions) -> Result<DemoSummary, AppError> {
    let mut rng = Rng::new(opts.seed);
    let now = app.clock.now();
    // One hash for every demo account: they share the printed demo password.
    let hash = hash_password(DEMO_PASSWORD, app.config.password_hashing).await?;
    let mut summary = DemoSummary {
        cooperatives: Vec::new(),
        users: 0,
    };
    let span_days = i64::from(opts.years.max(1)) * 365;
    for k in 0..opts.cooperatives.max(1) {
        let (city, postcode) = *rng.pick(&CITIES);
        let word = *rng.pick(&COOP_WORDS);
        let legal_name = if k == 0 {
            "Coopérative L'Essaim".to_owned()
        } else {
            format!("CAE {word} {city} {k}")
        };
        let siren = make_siren(&mut rng);
        let input = CooperativeInput {
            legal_name: legal_name.clone(),
            trade_name: String::new(),
            legal_form: if rng.below(4) == 0 {
                "scic_sas".into()
            } else {
                "scop_sarl".into()
            },
            siret: make_siret(&siren),
            vat_number: VatNumber::french_for(&siren).as_str().to_owned(),
            rcs_city: city.into(),
            share_capital: format!("{}", 5_000 + rng.below(200) * 500),
            address_line1: format!("{} {}", 1 + rng.below(120), rng.pick(&STREETS)),
            address_line2: String::new(),
            postcode: postcode.into(),
            city: city.into(),
            fiscal_year_start_month: "1".into(),
            fiscal_year_start_day: "1".into(),
        };
        let identity = essaim_domain::cooperative::CooperativeIdentity::parse(&input)?;
        let mut tx = app.store.begin().await?;
        let coop = cooperatives::insert_with_roles(&mut tx, app, &identity).await?;
        let mut role_ids = Vec::new();
        for kind in RoleKind::ALL {
            role_ids.push((
                kind,
                roles::find_by_kind(&mut tx, coop, kind)
                    .await?
                    .ok_or(AppError::NotFound("role"))?,
            ));
        }
        let role = |kind: RoleKind| role_ids.iter().find(|(k, _)| *k == kind).map(|(_, id)| *id);
        let domain = format!("{}.demo.essaim.coop", ascii_slug(&legal_name));
        let add = async |tx: &mut essaim_storage::Tx,
                         email: String,
                         name: String,
                         kinds: &[RoleKind],
                         host: bool,
                         since_days: i64|
               -> Result<(), AppError> {
            let email = Email::parse(&email).map_err(|c| AppError::field("email", c))?;
            let new = NewUser {
                email: &email,
                display_name: &name,
                password_hash: &hash,
                locale: Locale::Fr,
                is_host_admin: host,
            };
            let id = accounts::insert(tx, &new, now - time::Duration::days(since_days)).await?;
            for kind in kinds {
                if let Some(r) = role(*kind) {
                    roles::add_membership(tx, coop, id, r, now - time::Duration::days(since_days))
                        .await?;
                }
            }
            Ok(())
        };
        if k == 0 {
            for (email, code) in demo_logins() {
                let (name, kinds, host): (&str, Vec<RoleKind>, bool) = match code {
                    "host" => ("Hébergement Démo", vec![], true),
                    c => {
                        let kind = RoleKind::parse(c).ok_or(AppError::NotFound("role"))?;
                        let name = match kind {
                            RoleKind::Administrator => "Alice Administratrice",
                            RoleKind::Validation => "Victor Validation",
                            RoleKind::Accounting => "Céline Comptable",
                            RoleKind::Payroll => "Patrice Paie",
                            RoleKind::Coaching => "Agnès Accompagnement",
                            RoleKind::Entrepreneur => "Emma Entrepreneure",
                            RoleKind::Member => "Adrien Associé",
                            RoleKind::ReadOnly => "Lucien Lecture",
                        };
                        (name, vec![kind], false)
                    }
                };
                add(
                    &mut tx,
                    email.to_owned(),
                    name.to_owned(),
                    &kinds,
                    host,
                    span_days,
                )
                .await?;
                summary.users += 1;
            }
        }
        // Support team: about one person per 40 entrepreneurs, at least two.
        let support = (opts.entrepreneurs / 40).max(2);
        let support_kinds = [
            RoleKind::Validation,
            RoleKind::Accounting,
            RoleKind::Payroll,
            RoleKind::Coaching,
        ];
        for i in 0..support {
            let (first, last) = person(&mut rng);
            let kind = support_kinds[usize::try_from(i).unwrap_or(0) % support_kinds.len()];
            let email = format!(
                "{}.{}.appui{i}@{domain}",
                ascii_slug(first),
                ascii_slug(last)
            );
            add(
                &mut tx,
                email,
                format!("{first} {last}"),
                &[kind],
                false,
                rng.below(span_days as u64) as i64,
            )
            .await?;
            summary.users += 1;
        }
        if k > 0 {
            let (first, last) = person(&mut rng);
            add(
                &mut tx,
                format!("admin@{domain}"),
                format!("{first} {last}"),
                &[RoleKind::Administrator],
                false,
                span_days,
            )
            .await?;
            summary.users += 1;
        }
        for i in 0..opts.entrepreneurs {
            let (first, last) = person(&mut rng);
            let email = format!("{}.{}.{i}@{domain}", ascii_slug(first), ascii_slug(last));
            // About one in six entrepreneurs has left their activity and stays a member only.
            let kinds: &[RoleKind] = if rng.below(6) == 0 {
                &[RoleKind::Member]
            } else {
                &[RoleKind::Entrepreneur]
            };
            add(
                &mut tx,
                email,
                format!("{first} {last}"),
                kinds,
                false,
                rng.below(span_days as u64) as i64,
            )
            .await?;
            summary.users += 1;
        }
        audit::record(
            &mut tx,
            app,
            None,
            Some(coop),
            "demo.seeded",
            ("cooperative", coop.to_string()),
            json!({ "entrepreneurs": opts.entrepreneurs, "seed": opts.seed }),
        )
        .await?;
        tx.commit().await?;
        let slug = {
            let mut tx = app.store.read().await?;
            let c = essaim_storage::cooperative::find(&mut tx, coop)
                .await?
                .ok_or(AppError::NotFound("cooperative"))?;
            tx.commit().await?;
            c.slug
        };
        summary.cooperatives.push((coop, slug, legal_name));
    }
    Ok(summary)
}

fn person(rng: &mut Rng) -> (&'static str, &'static str) {
    let first = if rng.below(2) == 0 {
        *rng.pick(&FIRST_F)
    } else {
        *rng.pick(&FIRST_M)
    };
    (first, *rng.pick(&LAST))
}

/// Whether the demo was already seeded in this database.
pub async fn already_seeded(app: &App) -> Result<bool, AppError> {
    let mut tx = app.store.read().await?;
    let email = Email::parse("admin@demo.essaim.coop").map_err(|c| AppError::field("email", c))?;
    let found = accounts::find_with_hash(&mut tx, &email).await?.is_some();
    tx.commit().await?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
    }

    #[test]
    fn generated_company_numbers_are_valid() {
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let siren = make_siren(&mut rng);
            assert!(essaim_domain::identifiers::Siret::parse(&make_siret(&siren)).is_ok());
        }
    }
}
