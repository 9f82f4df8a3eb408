//! Deterministic demo data at any scale: cooperatives with valid legal numbers, one demo login per
//! role, and entrepreneurs and support staff with plausible French names. The same seed always
//! gives the same data. Later capabilities extend this with their own records.

use crate::secret::hash_password;
use crate::{App, AppError, audit, cooperatives};
use essaim_domain::access::RoleKind;
use essaim_domain::account::{Email, Locale};
use essaim_domain::cooperative::CooperativeInput;
use essaim_domain::identifiers::{Siren, VatNumber};
use essaim_domain::ids::{CooperativeId, UserId};
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

/// The demo's entrepreneur (the first cooperative's).
pub const DEMO_ENTREPRENEUR: &str = "entrepreneur@demo.essaim.coop";

/// The demo logins of the first cooperative, one per role, plus the host administrator.
pub fn demo_logins() -> Vec<(&'static str, &'static str)> {
    vec![
        ("hebergement@demo.essaim.coop", "host"),
        ("admin@demo.essaim.coop", RoleKind::Administrator.code()),
        ("validation@demo.essaim.coop", RoleKind::Validation.code()),
        ("comptabilite@demo.essaim.coop", RoleKind::Accounting.code()),
        ("paie@demo.essaim.coop", RoleKind::Payroll.code()),
        ("accompagnement@demo.essaim.coop", RoleKind::Coaching.code()),
        (DEMO_ENTREPRENEUR, RoleKind::Entrepreneur.code()),
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
        let mut followed: Vec<(UserId, String, Track)> = Vec::new();
        let mut support_ids: Vec<UserId> = Vec::new();
        let add = async |tx: &mut essaim_storage::Tx,
                         email: String,
                         name: String,
                         kinds: &[RoleKind],
                         host: bool,
                         since_days: i64|
               -> Result<UserId, AppError> {
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
            Ok(id)
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
                let id = add(
                    &mut tx,
                    email.to_owned(),
                    name.to_owned(),
                    &kinds,
                    host,
                    span_days,
                )
                .await?;
                summary.users += 1;
                match kinds.first() {
                    Some(RoleKind::Entrepreneur) => {
                        followed.push((id, name.to_owned(), Track::Cesa))
                    }
                    Some(RoleKind::Member) => {
                        followed.push((id, name.to_owned(), Track::Associate))
                    }
                    Some(k) if k.is_support() || *k == RoleKind::Administrator => {
                        support_ids.push(id)
                    }
                    _ => {}
                }
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
            let id = add(
                &mut tx,
                email,
                format!("{first} {last}"),
                &[kind],
                false,
                rng.below(span_days as u64) as i64,
            )
            .await?;
            summary.users += 1;
            support_ids.push(id);
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
            let member_only = rng.below(6) == 0;
            let kinds: &[RoleKind] = if member_only {
                &[RoleKind::Member]
            } else {
                &[RoleKind::Entrepreneur]
            };
            let id = add(
                &mut tx,
                email,
                format!("{first} {last}"),
                kinds,
                false,
                rng.below(span_days as u64) as i64,
            )
            .await?;
            summary.users += 1;
            followed.push((
                id,
                format!("{first} {last}"),
                if member_only {
                    Track::Associate
                } else {
                    Track::Cesa
                },
            ));
        }
        seed_people(
            &mut tx,
            app,
            coop,
            &mut rng,
            &followed,
            &support_ids,
            opts,
            (city, postcode),
        )
        .await?;
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
        // Selling data comes after, in transactions of its own (a bulk load in one transaction
        // plans badly on PostgreSQL as the tables fill).
        if let Some(by) = support_ids.first() {
            crate::selling::demo::seed(app, coop, &mut rng, *by, opts.years, (city, postcode))
                .await?;
            crate::spending::demo::seed(app, coop, &mut rng, *by, opts.years).await?;
            let first = app.clock.today() - time::Duration::days(366 * i64::from(opts.years));
            let start = time::Date::from_calendar_date(first.year(), time::Month::January, 1)
                .unwrap_or(first);
            crate::payroll::policies::demo_seed(app, coop, *by, start).await?;
            crate::payroll::demo::seed(app, coop, *by).await?;
        }
        crate::coaching::demo_seed(app, coop, &mut rng, &support_ids, opts.years).await?;
        crate::workshops::demo_seed(app, coop, &mut rng, &support_ids, opts.years).await?;
        crate::competences::demo_seed(app, coop, &mut rng, &support_ids).await?;
        if let Some(by) = support_ids.first() {
            crate::trainings::demo_seed(app, coop, &mut rng, *by, opts.years).await?;
        }
        crate::books::demo_close(app, coop).await?;
        crate::books::bank::demo_statement(app, coop).await?;
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

/// Where a generated person's path leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Track {
    Prospect,
    Candidate,
    NotAdmitted,
    Cape,
    Cesa,
    Associate,
    Exited,
}

const ACTIVITY_NAMES: [&str; 12] = [
    "Atelier graphique",
    "Conseil numérique",
    "Formation et ateliers",
    "Menuiserie",
    "Photographie",
    "Traduction",
    "Paysage et jardins",
    "Coiffure à domicile",
    "Édition",
    "Spectacle vivant",
    "Couture et retouches",
    "Accompagnement bien-être",
];

const SECTORS: [&str; 16] = [
    "74.10Z", "62.02A", "70.22Z", "85.59A", "90.01Z", "43.32A", "96.02A", "74.20Z", "58.11Z",
    "81.30Z", "88.91A", "73.11Z", "90.03A", "47.91A", "32.12Z", "86.90F",
];

fn weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, u64)]) -> &'a str {
    let total: u64 = items.iter().map(|(_, w)| w).sum();
    let mut n = rng.below(total);
    for (v, w) in items {
        if n < *w {
            return v;
        }
        n -= w;
    }
    items[0].0
}

/// The attributes and path of one person, spread like a real CAE's (LIF-01, REP-01).
#[allow(clippy::too_many_arguments)]
async fn seed_person(
    tx: &mut essaim_storage::Tx,
    app: &App,
    coop: CooperativeId,
    rng: &mut Rng,
    user: Option<UserId>,
    name: (&str, &str),
    track: Track,
    referents: &[UserId],
    city: (&str, &str),
    span_days: i64,
) -> Result<(), AppError> {
    use essaim_domain::path::{Path, PathEvent, Period, add_months};
    use essaim_domain::person::{Gender, PersonDetails};
    let today = app.clock.today();
    let age = 22 + i64::try_from(rng.below(40)).unwrap_or(0);
    let birth =
        today - time::Duration::days(age * 365 + i64::try_from(rng.below(365)).unwrap_or(0));
    let (commune, postcode) = if rng.below(3) == 0 {
        *rng.pick(&CITIES)
    } else {
        city
    };
    let gender = match rng.below(100) {
        0..55 => Gender::Female,
        55..97 => Gender::Male,
        97..98 => Gender::NonBinary,
        _ => Gender::Undisclosed,
    };
    let details = PersonDetails {
        first_name: name.0.to_owned(),
        last_name: name.1.to_owned(),
        email: Email::parse(&format!(
            "{}.{}.{}@exemple.fr",
            ascii_slug(name.0),
            ascii_slug(name.1),
            rng.below(1000)
        ))
        .ok(),
        phone: Some(format!(
            "06 {:02} {:02} {:02} {:02}",
            rng.below(100),
            rng.below(100),
            rng.below(100),
            rng.below(100)
        )),
        address: Some(format!("{} {}", 1 + rng.below(150), rng.pick(&STREETS))),
        postcode: Some(postcode.to_owned()),
        commune: Some(commune.to_owned()),
        birth_date: Some(birth),
        gender,
        situation: Some(
            weighted(
                rng,
                &[
                    ("are", 45),
                    ("rsa", 14),
                    ("ass", 3),
                    ("aah", 2),
                    ("job_seeker", 10),
                    ("employee", 12),
                    ("student", 3),
                    ("none", 11),
                ],
            )
            .to_owned(),
        ),
        prescriber: Some(
            weighted(
                rng,
                &[
                    ("france_travail", 40),
                    ("word_of_mouth", 25),
                    ("network", 12),
                    ("web", 10),
                    ("departement", 5),
                    ("mission_locale", 4),
                    ("cap_emploi", 2),
                    ("other", 2),
                ],
            )
            .to_owned(),
        ),
        education: Some(
            weighted(
                rng,
                &[
                    ("none", 4),
                    ("level_3", 10),
                    ("level_4", 16),
                    ("level_5", 20),
                    ("level_6", 22),
                    ("level_7", 25),
                    ("level_8", 3),
                ],
            )
            .to_owned(),
        ),
        antenna: Some(weighted(rng, &[("main", 60), ("north", 20), ("south", 20)]).to_owned()),
        qpv: rng.below(100) < 12,
        rural: rng.below(100) < 18,
        naf: Some((*rng.pick(&SECTORS)).to_owned()),
    };
    let referent = (!referents.is_empty()).then(|| *rng.pick(referents));
    let id = essaim_storage::person::insert(
        tx,
        coop,
        &details,
        user,
        referent,
        app.clock.now() - time::Duration::days(span_days),
    )
    .await?;
    // Dates: the path starts somewhere in the span, and every event stays before today.
    let d = |days: i64| time::Duration::days(days);
    // About one CESA in ten is close to (or past) the associé deadline, without CAPE before.
    let near_deadline = track == Track::Cesa && rng.below(10) == 0;
    let three_years_ago = today.replace_year(today.year() - 3).unwrap_or(today);
    let start = if near_deadline {
        three_years_ago - d(17) + d(i64::try_from(rng.below(210)).unwrap_or(0)) - d(30)
    } else {
        today
            - d(match track {
                Track::Prospect | Track::Candidate => 5 + i64::try_from(rng.below(60)).unwrap_or(0),
                Track::NotAdmitted | Track::Cape => 30 + i64::try_from(rng.below(300)).unwrap_or(0),
                _ => {
                    200 + i64::try_from(
                        rng.below(u64::try_from(span_days.max(400) + 300).unwrap_or(400)),
                    )
                    .unwrap_or(0)
                }
            })
    };
    let mut events = vec![PathEvent::InformationMeeting { on: start }];
    let admitted = if near_deadline {
        start + d(12)
    } else {
        start + d(7 + i64::try_from(rng.below(30)).unwrap_or(0))
    };
    match track {
        Track::Prospect => events.clear(),
        Track::Candidate => events.push(PathEvent::DiagnosticInterview {
            on: (start + d(5)).min(today),
        }),
        Track::NotAdmitted => events.push(PathEvent::NotAdmitted {
            on: admitted.min(today),
            reason: weighted(
                rng,
                &[
                    ("not_viable", 5),
                    ("regulated", 1),
                    ("not_cooperative", 2),
                    ("withdrawn", 3),
                ],
            )
            .into(),
        }),
        _ => {
            events.push(PathEvent::Admitted { on: admitted });
            let cape_start = admitted + d(5);
            let with_cape = !near_deadline && (track == Track::Cape || rng.below(10) < 7);
            let mut cesa_start = cape_start;
            if with_cape {
                let months = 3 + u32::try_from(rng.below(10)).unwrap_or(0);
                let end = add_months(cape_start, months) - d(1);
                events.push(PathEvent::CapeSigned {
                    period: Period {
                        start: cape_start,
                        end,
                    },
                });
                cesa_start = end + d(1);
                if track != Track::Cape
                    && months >= 9
                    && rng.below(3) == 0
                    && cesa_start + d(180) < today
                {
                    let renewal = Period {
                        start: cesa_start,
                        end: add_months(cesa_start, 6) - d(1),
                    };
                    events.push(PathEvent::CapeRenewed { period: renewal });
                    cesa_start = renewal.end + d(1);
                }
            }
            if track != Track::Cape && cesa_start <= today {
                let path = Path::new(events.clone());
                let trial_end = match path.latest_trial_end(cesa_start) {
                    Ok(Some(latest)) if rng.below(2) == 0 => {
                        Some(latest.min(add_months(cesa_start, 2)))
                    }
                    _ => None,
                };
                events.push(PathEvent::HiringDeclared { on: cesa_start });
                events.push(PathEvent::CesaSigned {
                    start: cesa_start,
                    trial_end,
                });
                let months_in = (today - cesa_start).whole_days() / 30;
                let becomes_associate = !near_deadline
                    && (track == Track::Associate || (months_in > 14 && rng.below(10) < 9));
                if becomes_associate && months_in > 6 {
                    let on = (cesa_start + d(180 + i64::try_from(rng.below(400)).unwrap_or(0)))
                        .min(today);
                    events.push(PathEvent::AssociateAdmitted { on });
                }
                if track == Track::Exited {
                    let on = (cesa_start + d(120 + i64::try_from(rng.below(500)).unwrap_or(0)))
                        .min(today);
                    events.push(PathEvent::Exited {
                        on,
                        exit_type: weighted(
                            rng,
                            &[
                                ("employment", 30),
                                ("own_business", 25),
                                ("stopped", 25),
                                ("training", 5),
                                ("deadline", 5),
                                ("other", 10),
                            ],
                        )
                        .into(),
                        reason: weighted(
                            rng,
                            &[
                                ("revenue", 40),
                                ("personal", 25),
                                ("project_change", 25),
                                ("health", 5),
                                ("other", 5),
                            ],
                        )
                        .into(),
                        destination: weighted(
                            rng,
                            &[
                                ("cdi", 25),
                                ("cdd", 15),
                                ("own_company", 25),
                                ("job_seeking", 20),
                                ("training", 5),
                                ("retirement", 5),
                                ("unknown", 5),
                            ],
                        )
                        .into(),
                    });
                }
            }
        }
    }
    // Keep only the prefix the rules accept (dates are generated, the rules decide).
    let mut path = Path::default();
    let mut kept = Vec::new();
    for e in events {
        if e.date() > today {
            break;
        }
        match path.clone().record(e.clone()) {
            Ok(p) => {
                path = p;
                kept.push(e);
            }
            Err(_) => break,
        }
    }
    crate::people::record_path(tx, id, &kept, None, app.clock.now()).await
}

/// People of a cooperative: one per entrepreneur or member account, plus people at every other
/// stage (prospects, candidates, refusals, CAPE, exits) in realistic proportions.
#[allow(clippy::too_many_arguments)]
async fn seed_people(
    tx: &mut essaim_storage::Tx,
    app: &App,
    coop: CooperativeId,
    rng: &mut Rng,
    followed: &[(UserId, String, Track)],
    referents: &[UserId],
    opts: DemoOptions,
    city: (&str, &str),
) -> Result<(), AppError> {
    let span_days = i64::from(opts.years.max(1)) * 365;
    essaim_storage::person::insert_item(
        tx,
        coop,
        essaim_domain::person::RefList::Antenna,
        "north",
        &format!("Antenne nord ({})", city.0),
        1,
    )
    .await?;
    essaim_storage::person::insert_item(
        tx,
        coop,
        essaim_domain::person::RefList::Antenna,
        "south",
        &format!("Antenne sud ({})", city.0),
        2,
    )
    .await?;
    for (user, name, track) in followed {
        let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
        seed_person(
            tx,
            app,
            coop,
            rng,
            Some(*user),
            (first, last),
            *track,
            referents,
            city,
            span_days,
        )
        .await?;
    }
    // Activities: one per entrepreneur, about one in ten shared with a peer (LIF-02).
    let entrepreneurs: Vec<&(UserId, String, Track)> = followed
        .iter()
        .filter(|(_, _, t)| *t == Track::Cesa)
        .collect();
    let today = app.clock.today();
    let mut i = 0;
    while i < entrepreneurs.len() {
        let (user, name, _) = entrepreneurs[i];
        let naf = *rng.pick(&SECTORS);
        let trade = *rng.pick(&ACTIVITY_NAMES);
        let details = essaim_domain::activity::ActivityDetails {
            name: format!("{trade} — {name}"),
            description: None,
            naf: Some(naf.to_owned()),
            analytic_code: format!("A{:05}", i + 1),
            start_on: today
                - time::Duration::days(
                    30 + i64::try_from(rng.below(u64::try_from(span_days).unwrap_or(365)))
                        .unwrap_or(0),
                ),
            end_on: None,
        };
        let referent = (!referents.is_empty()).then(|| *rng.pick(referents));
        // Seven in ten entrepreneurs appear in the directory; few show their address.
        let profile = essaim_domain::directory::Profile {
            headline: Some(trade.to_owned()),
            offer: Some(format!(
                "{trade} pour les particuliers, les associations et les entreprises."
            )),
            tags: trade
                .to_lowercase()
                .split([' ', ','])
                .filter(|w| w.len() > 3)
                .map(str::to_owned)
                .collect(),
            territory: Some(city.0.to_owned()),
            naf: Some(naf.to_owned()),
            phone: None,
            listed: rng.below(10) < 7,
            show_email: rng.below(4) == 0,
            show_phone: false,
        };
        essaim_storage::directory::upsert(tx, coop, *user, name, &profile, app.clock.now()).await?;
        let shared = i + 1 < entrepreneurs.len() && rng.below(10) == 0;
        if shared {
            let (peer, peer_name, _) = entrepreneurs[i + 1];
            let agreement = format!(
                "Convention du {} : moitié chacun·e ({name}, {peer_name}).",
                details.start_on
            );
            crate::activities::insert_with_members(
                tx,
                app,
                coop,
                &details,
                referent,
                &[(*user, 5_000), (*peer, 5_000)],
                Some(&agreement),
            )
            .await?;
            i += 2;
        } else {
            crate::activities::insert_with_members(
                tx,
                app,
                coop,
                &details,
                referent,
                &[(*user, essaim_domain::activity::WHOLE)],
                None,
            )
            .await?;
            i += 1;
        }
    }
    let n = u64::from(opts.entrepreneurs);
    for (track, share) in [
        (Track::Prospect, 8),
        (Track::Candidate, 8),
        (Track::NotAdmitted, 5),
        (Track::Cape, 15),
        (Track::Exited, 20),
    ] {
        for _ in 0..(n * share / 100).max(1) {
            let (first, last) = person(rng);
            seed_person(
                tx,
                app,
                coop,
                rng,
                None,
                (first, last),
                track,
                referents,
                city,
                span_days,
            )
            .await?;
        }
    }
    Ok(())
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
