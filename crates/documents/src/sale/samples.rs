//! Sample sale documents of a French cooperative (CAE), for the Factur-X sample generator
//! (`examples/facturx_samples.rs`), the tests and `scripts/check-facturx`. Their figures follow
//! the EN 16931 arithmetic of INV-42: line net = round(qty × price, 2) − allowance; VAT per rate =
//! round(Σ bases of that rate × rate, 2); totals are sums. Not used by the application.

use rust_decimal::{Decimal, RoundingStrategy};
use time::Date;
use time::macros::date;

use super::{
    Branding, Buyer, DocumentAllowance, PostalAddress, PrecedingInvoice, SaleDocument, SaleKind,
    SaleLine, Seller, Totals, VatBreakdown,
};

/// One sample: a file stem (business customers in France start with `fr-b2b-`) and its document.
pub struct Sample {
    pub name: &'static str,
    pub doc: SaleDocument,
}

const EXEMPT_TRAINING: (&str, &str) = (
    "Exonération de TVA, art. 261-4-4° a du CGI",
    "VATEX-FR-CGI261-4",
);
const REVERSE_CHARGE: (&str, &str) = ("Autoliquidation", "VATEX-EU-AE");

fn dec(text: &str) -> Decimal {
    text.parse().unwrap_or_default()
}

fn round_cents(value: Decimal) -> i64 {
    let cents = value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(cents).unwrap_or_default()
}

/// A line as typed by the entrepreneur, before any computation.
struct Item {
    section: Option<&'static str>,
    label: &'static str,
    description: Option<&'static str>,
    quantity: &'static str,
    unit: (&'static str, &'static str),
    price: &'static str,
    discount_percent: Option<&'static str>,
    discount_cents: i64,
    vat: (&'static str, &'static str),
    goods: bool,
}

const HOUR: (&str, &str) = ("HUR", "heure");
const DAY: (&str, &str) = ("DAY", "jour");
const PIECE: (&str, &str) = ("C62", "unité");
const SQUARE_METRE: (&str, &str) = ("MTK", "m²");
const S20: (&str, &str) = ("S", "20");
const S10: (&str, &str) = ("S", "10");
const S55: (&str, &str) = ("S", "5.5");
const E0: (&str, &str) = ("E", "0");
const AE0: (&str, &str) = ("AE", "0");

fn item(
    label: &'static str,
    quantity: &'static str,
    unit: (&'static str, &'static str),
    price: &'static str,
    vat: (&'static str, &'static str),
) -> Item {
    Item {
        section: None,
        label,
        description: None,
        quantity,
        unit,
        price,
        discount_percent: None,
        discount_cents: 0,
        vat,
        goods: false,
    }
}

impl Item {
    fn in_section(mut self, section: &'static str) -> Item {
        self.section = Some(section);
        self
    }
    fn described(mut self, description: &'static str) -> Item {
        self.description = Some(description);
        self
    }
    fn discount_percent(mut self, percent: &'static str) -> Item {
        self.discount_percent = Some(percent);
        self
    }
    fn discount_cents(mut self, cents: i64) -> Item {
        self.discount_cents = cents;
        self
    }
    fn goods(mut self) -> Item {
        self.goods = true;
        self
    }
}

fn lines(items: Vec<Item>) -> Vec<SaleLine> {
    items
        .into_iter()
        .zip(1u32..)
        .map(|(item, position)| {
            let quantity = dec(item.quantity);
            let unit_price = dec(item.price);
            let gross_cents = round_cents(quantity * unit_price * Decimal::ONE_HUNDRED);
            let allowance_cents = match item.discount_percent {
                Some(percent) => {
                    round_cents(Decimal::from(gross_cents) * dec(percent) / Decimal::ONE_HUNDRED)
                }
                None => item.discount_cents,
            };
            SaleLine {
                position,
                section: item.section.map(str::to_owned),
                label: item.label.to_owned(),
                description: item.description.map(str::to_owned),
                quantity,
                unit_code: item.unit.0.to_owned(),
                unit_label: item.unit.1.to_owned(),
                trade: None,
                unit_price,
                allowance_cents,
                allowance_percent: item.discount_percent.map(dec),
                gross_cents,
                net_cents: gross_cents - allowance_cents,
                vat_category: item.vat.0.to_owned(),
                vat_rate: dec(item.vat.1),
                is_goods: item.goods,
            }
        })
        .collect()
}

/// The (category, rate) groups in order of first appearance.
fn vat_groups(lines: &[SaleLine]) -> Vec<(String, Decimal)> {
    let mut groups: Vec<(String, Decimal)> = Vec::new();
    for line in lines {
        let key = (line.vat_category.clone(), line.vat_rate);
        if !groups.contains(&key) {
            groups.push(key);
        }
    }
    groups
}

/// Completes `doc` from its lines: an overall percentage discount split per VAT rate (BG-20),
/// the VAT breakdown (BG-23) and the totals (BG-22).
fn compute(
    mut doc: SaleDocument,
    overall_discount_percent: Option<&str>,
    prepaid_cents: i64,
) -> SaleDocument {
    let groups = vat_groups(&doc.lines);
    let base_of = |lines: &[SaleLine], category: &str, rate: Decimal| -> i64 {
        lines
            .iter()
            .filter(|l| l.vat_category == category && l.vat_rate == rate)
            .map(|l| l.net_cents)
            .sum()
    };
    if let Some(percent) = overall_discount_percent {
        let percent = dec(percent);
        doc.allowances = groups
            .iter()
            .map(|(category, rate)| {
                let base_cents = base_of(&doc.lines, category, *rate);
                DocumentAllowance {
                    reason: "Remise globale".to_owned(),
                    percent: Some(percent),
                    base_cents,
                    amount_cents: round_cents(
                        Decimal::from(base_cents) * percent / Decimal::ONE_HUNDRED,
                    ),
                    vat_category: category.clone(),
                    vat_rate: *rate,
                }
            })
            .collect();
    }
    doc.vat = groups
        .iter()
        .map(|(category, rate)| {
            let allowances: i64 = doc
                .allowances
                .iter()
                .filter(|a| a.vat_category == *category && a.vat_rate == *rate)
                .map(|a| a.amount_cents)
                .sum();
            let basis_cents = base_of(&doc.lines, category, *rate) - allowances;
            let exemption = match category.as_str() {
                "E" => Some(EXEMPT_TRAINING),
                "AE" => Some(REVERSE_CHARGE),
                _ => None,
            };
            VatBreakdown {
                category: category.clone(),
                rate: *rate,
                basis_cents,
                vat_cents: round_cents(Decimal::from(basis_cents) * *rate / Decimal::ONE_HUNDRED),
                exemption_reason: exemption.map(|e| e.0.to_owned()),
                exemption_code: exemption.map(|e| e.1.to_owned()),
            }
        })
        .collect();
    let line_total_cents: i64 = doc.lines.iter().map(|l| l.net_cents).sum();
    let allowance_total_cents: i64 = doc.allowances.iter().map(|a| a.amount_cents).sum();
    let tax_basis_cents = line_total_cents - allowance_total_cents;
    let tax_total_cents: i64 = doc.vat.iter().map(|v| v.vat_cents).sum();
    let grand_total_cents = tax_basis_cents + tax_total_cents;
    doc.totals = Totals {
        line_total_cents,
        allowance_total_cents,
        tax_basis_cents,
        tax_total_cents,
        grand_total_cents,
        prepaid_cents,
        due_cents: grand_total_cents - prepaid_cents,
    };
    let goods = doc.lines.iter().any(|l| l.is_goods);
    let services = doc.lines.iter().any(|l| !l.is_goods);
    doc.nature_label = match (goods, services) {
        (true, true) => "Livraison de biens et prestations de services",
        (true, false) => "Livraison de biens",
        _ => "Prestations de services",
    }
    .to_owned();
    doc
}

/// The cooperative: a SCOP under which the entrepreneur's activity "Bois Vivant" sells.
pub fn seller() -> Seller {
    Seller {
        legal_name: "Coopérative L'Essaim".to_owned(),
        trade_name: Some("Bois Vivant — menuiserie et formation".to_owned()),
        legal_mention: "SCOP SARL à capital variable (capital minimum 18 500 €)".to_owned(),
        siren: "732829320".to_owned(),
        siret: "73282932000017".to_owned(),
        vat_number: "FR44732829320".to_owned(),
        rcs: "RCS Lyon".to_owned(),
        address: PostalAddress {
            line1: "12 rue de la République".to_owned(),
            line2: None,
            postcode: "69001".to_owned(),
            city: "Lyon".to_owned(),
            country: "FR".to_owned(),
        },
        electronic_address: "732829320".to_owned(),
        electronic_address_scheme: "0225".to_owned(),
        email: Some("bois-vivant@essaim.coop".to_owned()),
        phone: Some("04 78 00 00 00".to_owned()),
        iban: Some("FR7630006000011234567890189".to_owned()),
        bic: Some("AGRIFRPP".to_owned()),
    }
}

fn gites() -> Buyer {
    Buyer {
        name: "Gîtes des Monts du Lyonnais SARL".to_owned(),
        is_business: true,
        siren: Some("812345676".to_owned()),
        siret: Some("81234567600017".to_owned()),
        vat_number: Some("FR19812345676".to_owned()),
        address: PostalAddress {
            line1: "4 chemin des Crêtes".to_owned(),
            line2: Some("Hameau de la Croix".to_owned()),
            postcode: "69610".to_owned(),
            city: "Sainte-Foy-l'Argentière".to_owned(),
            country: "FR".to_owned(),
        },
        delivery_address: Some(PostalAddress {
            line1: "Gîte « Le Fenil »".to_owned(),
            line2: Some("12 route de Montrottier".to_owned()),
            postcode: "69770".to_owned(),
            city: "Villecheneve".to_owned(),
            country: "FR".to_owned(),
        }),
        electronic_address: Some("812345676".to_owned()),
        electronic_address_scheme: Some("0225".to_owned()),
        purchase_order: Some("BC-2026-118".to_owned()),
    }
}

fn restaurant() -> Buyer {
    Buyer {
        name: "Le Comptoir des Pentes SAS".to_owned(),
        is_business: true,
        siren: Some("845123785".to_owned()),
        siret: Some("84512378500014".to_owned()),
        vat_number: Some("FR14845123785".to_owned()),
        address: PostalAddress {
            line1: "31 montée de la Grande-Côte".to_owned(),
            line2: None,
            postcode: "69001".to_owned(),
            city: "Lyon".to_owned(),
            country: "FR".to_owned(),
        },
        delivery_address: None,
        electronic_address: Some("845123785".to_owned()),
        electronic_address_scheme: Some("0225".to_owned()),
        purchase_order: None,
    }
}

fn individual() -> Buyer {
    Buyer {
        name: "Camille Bernard".to_owned(),
        is_business: false,
        siren: None,
        siret: None,
        vat_number: None,
        address: PostalAddress {
            line1: "8 rue Saint-Jean".to_owned(),
            line2: None,
            postcode: "69005".to_owned(),
            city: "Lyon".to_owned(),
            country: "FR".to_owned(),
        },
        delivery_address: None,
        electronic_address: None,
        electronic_address_scheme: None,
        purchase_order: None,
    }
}

fn belgian_company() -> Buyer {
    Buyer {
        name: "Houtwerk Brussel SRL".to_owned(),
        is_business: true,
        siren: None,
        siret: None,
        vat_number: Some("BE0712345630".to_owned()),
        address: PostalAddress {
            line1: "Rue Haute 120".to_owned(),
            line2: None,
            postcode: "1000".to_owned(),
            city: "Bruxelles".to_owned(),
            country: "BE".to_owned(),
        },
        delivery_address: None,
        electronic_address: Some("0712345630".to_owned()),
        electronic_address_scheme: Some("0208".to_owned()),
        purchase_order: Some("PO-4471".to_owned()),
    }
}

const PAYMENT_30_DAYS: &str =
    "Paiement à 30 jours à compter de la date de facture, par virement bancaire.";
const NO_DISCOUNT: &str = "Pas d'escompte pour paiement anticipé.";
const PENALTIES: &str = "En cas de retard de paiement, pénalités exigibles dès le lendemain de l'échéance au taux directeur de la BCE majoré de 10 points (art. L441-10 du Code de commerce).";
const INDEMNITY: &str = "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40 € (art. D441-5 du Code de commerce).";

fn base(kind: SaleKind, number: Option<&str>, issue_date: Date, buyer: Buyer) -> SaleDocument {
    let business = buyer.is_business;
    SaleDocument {
        kind,
        number: number.map(str::to_owned),
        issue_date,
        due_date: (kind != SaleKind::Quote).then(|| issue_date + time::Duration::days(30)),
        valid_until: None,
        delivery_date: None,
        currency: "EUR".to_owned(),
        seller: seller(),
        buyer,
        lines: Vec::new(),
        allowances: Vec::new(),
        vat: Vec::new(),
        totals: Totals::default(),
        preceding: Vec::new(),
        nature_label: String::new(),
        business_process: "S1".to_owned(),
        payment_terms: PAYMENT_30_DAYS.to_owned(),
        early_payment_discount: NO_DISCOUNT.to_owned(),
        late_penalties: PENALTIES.to_owned(),
        recovery_indemnity: business.then(|| INDEMNITY.to_owned()),
        mentions: Vec::new(),
        notes: None,
        accepted_by: None,
        accepted_on: None,
    }
}

/// An invoice to a French company with goods and services at 20, 10 and 5.5 %, an exempt
/// training line, line discounts, sections and an overall 5 % discount.
pub fn multi_rate_invoice() -> SaleDocument {
    let mut doc = base(
        SaleKind::Invoice,
        Some("FA-2026-0042"),
        date!(2026 - 03 - 16),
        gites(),
    );
    doc.delivery_date = Some(date!(2026 - 03 - 06));
    doc.business_process = "M1".to_owned();
    doc.lines = lines(vec![
        item("Table de ferme en chêne massif", "2", PIECE, "1240", S20)
            .in_section("Mobilier")
            .described("200 × 90 cm, finition huile dure")
            .discount_percent("10")
            .goods(),
        item("Banc assorti", "4", PIECE, "285.5", S20)
            .in_section("Mobilier")
            .goods(),
        item("Rénovation de l'escalier du gîte", "3.5", DAY, "420", S10)
            .in_section("Travaux")
            .described("Logement achevé depuis plus de deux ans (art. 279-0 bis du CGI)")
            .discount_cents(5000),
        item(
            "Pose de fenêtres bois à isolation renforcée",
            "6.25",
            SQUARE_METRE,
            "389.9",
            S55,
        )
        .in_section("Travaux")
        .described("Travaux d'amélioration de la qualité énergétique (art. 278-0 bis A du CGI)")
        .goods(),
        item("Formation « Entretien des boiseries »", "7", HOUR, "65", E0)
            .in_section("Formation")
            .described("Pour deux salariés, le 5 mars 2026"),
    ]);
    doc.mentions = vec![
        "Exonération de TVA, art. 261-4-4° a du CGI (formation professionnelle continue)."
            .to_owned(),
        "Attestation d'assurance décennale : Mutuelle du Bâtiment, contrat n° 2026-BV-0815, couverture France."
            .to_owned(),
    ];
    compute(doc, Some("5"), 0)
}

const QUOTE_NUMBER: &str = "DE-2026-0012";

fn kitchen_items() -> Vec<Item> {
    vec![
        item("Conception de l'agencement", "2", DAY, "480", S20).in_section("Étude"),
        item("Fabrication du comptoir en frêne", "38", HOUR, "58", S20)
            .in_section("Réalisation")
            .goods(),
        item("Pose et finitions", "3", DAY, "450", S20).in_section("Réalisation"),
    ]
}

/// The quote the deposit and final invoices follow (INV-30).
pub fn quote() -> SaleDocument {
    let mut doc = base(
        SaleKind::Quote,
        Some(QUOTE_NUMBER),
        date!(2026 - 02 - 20),
        restaurant(),
    );
    doc.valid_until = Some(date!(2026 - 03 - 22));
    doc.business_process = "M1".to_owned();
    doc.lines = lines(kitchen_items());
    doc.payment_terms =
        "Acompte de 30 % à la commande, solde à 30 jours après la pose, par virement bancaire."
            .to_owned();
    doc.notes =
        Some("Délai de réalisation : cinq semaines après réception de l'acompte.".to_owned());
    compute(doc, None, 0)
}

/// 30 % of the quote's total excluding VAT, invoiced as a deposit (INV-31, type 386).
pub fn deposit_invoice() -> SaleDocument {
    let quote = quote();
    let amount = Decimal::new(quote.totals.tax_basis_cents * 30 / 100, 2);
    let mut doc = base(
        SaleKind::Deposit,
        Some("FA-2026-0043"),
        date!(2026 - 03 - 02),
        restaurant(),
    );
    doc.due_date = Some(date!(2026 - 03 - 02));
    doc.payment_terms = "Acompte payable à réception, par virement bancaire.".to_owned();
    let mut line = lines(vec![item(
        "Acompte de 30 % sur le devis DE-2026-0012",
        "1",
        PIECE,
        "0",
        S20,
    )]);
    for l in &mut line {
        l.unit_price = amount;
        l.gross_cents = round_cents(amount * Decimal::ONE_HUNDRED);
        l.net_cents = l.gross_cents;
        l.description = Some("Agencement du comptoir : conception, fabrication et pose".to_owned());
    }
    doc.lines = line;
    doc.notes = Some(format!("Devis n° {QUOTE_NUMBER} accepté le 27/02/2026."));
    compute(doc, None, 0)
}

/// The final invoice: the quote's lines, then the deposit deducted at its VAT rate (negative
/// quantity), referencing the deposit invoice (BT-25); French billing mode S4/M4.
pub fn final_invoice() -> SaleDocument {
    let deposit = deposit_invoice();
    let mut doc = base(
        SaleKind::Invoice,
        Some("FA-2026-0051"),
        date!(2026 - 04 - 10),
        restaurant(),
    );
    doc.delivery_date = Some(date!(2026 - 04 - 08));
    doc.business_process = "M4".to_owned();
    let mut items = kitchen_items();
    items.push(
        item("Déduction de l'acompte", "-1", PIECE, "0", S20)
            .in_section("Acompte déjà facturé")
            .described("Facture d'acompte FA-2026-0043 du 02/03/2026"),
    );
    let mut all = lines(items);
    if let (Some(last), Some(deposit_line)) = (all.last_mut(), deposit.lines.first()) {
        last.unit_price = deposit_line.unit_price;
        last.gross_cents = -deposit_line.net_cents;
        last.net_cents = -deposit_line.net_cents;
    }
    doc.lines = all;
    doc.preceding = vec![PrecedingInvoice {
        number: "FA-2026-0043".to_owned(),
        issue_date: date!(2026 - 03 - 02),
    }];
    compute(doc, None, 0)
}

/// A credit note for part of the multi-rate invoice: one bench returned, and a commercial
/// gesture on the staircase (INV-33, type 381).
pub fn credit_note() -> SaleDocument {
    let mut doc = base(
        SaleKind::CreditNote,
        Some("AV-2026-0003"),
        date!(2026 - 03 - 27),
        gites(),
    );
    doc.due_date = None;
    doc.business_process = "M1".to_owned();
    doc.payment_terms =
        "Avoir à déduire du prochain règlement ou remboursé par virement sous 15 jours.".to_owned();
    doc.lines = lines(vec![
        item("Retour d'un banc assorti", "1", PIECE, "285.5", S20).goods(),
        item(
            "Geste commercial — rénovation de l'escalier",
            "1",
            PIECE,
            "120",
            S10,
        ),
    ]);
    doc.preceding = vec![PrecedingInvoice {
        number: "FA-2026-0042".to_owned(),
        issue_date: date!(2026 - 03 - 16),
    }];
    compute(doc, None, 0)
}

/// An invoice to an individual (no SIREN, no 40 € indemnity), partly paid already.
pub fn individual_invoice() -> SaleDocument {
    let mut doc = base(
        SaleKind::Invoice,
        Some("FA-2026-0047"),
        date!(2026 - 03 - 21),
        individual(),
    );
    doc.business_process = "M1".to_owned();
    doc.due_date = Some(date!(2026 - 04 - 04));
    doc.payment_terms = "Paiement à 15 jours, par virement ou chèque.".to_owned();
    doc.lines = lines(vec![
        item(
            "Atelier découverte « Ma première étagère »",
            "1",
            PIECE,
            "95",
            S20,
        )
        .described("Samedi 21 mars 2026, de 9 h à 13 h"),
        item("Kit de bois et quincaillerie", "1", PIECE, "34.9", S20).goods(),
    ]);
    compute(doc, None, 5000)
}

/// Services to a company in Belgium: reverse charge (AE), VAT numbers of both parties.
pub fn reverse_charge_invoice() -> SaleDocument {
    let mut doc = base(
        SaleKind::Invoice,
        Some("FA-2026-0049"),
        date!(2026 - 03 - 31),
        belgian_company(),
    );
    doc.delivery_date = Some(date!(2026 - 03 - 25));
    doc.lines = lines(vec![
        item("Conseil en conception de mobilier", "2.5", DAY, "520", AE0),
        item("Plans d'exécution", "1", PIECE, "680", AE0).discount_percent("15"),
    ]);
    doc.mentions = vec![
        "Autoliquidation : TVA due par le preneur (art. 196 de la directive 2006/112/CE, art. 283-2 du CGI)."
            .to_owned(),
    ];
    compute(doc, None, 0)
}

/// A draft invoice: no number yet, so a plain PDF saying "Brouillon" and no XML.
pub fn draft_invoice() -> SaleDocument {
    let mut doc = multi_rate_invoice();
    doc.number = None;
    doc
}

/// Every sample. Names starting with `fr-b2b-` are business customers in France (checked with
/// the French CTC rules too); documents without a Factur-X XML are quotes and drafts.
pub fn all() -> Vec<Sample> {
    vec![
        Sample {
            name: "fr-b2b-facture-taux-multiples",
            doc: multi_rate_invoice(),
        },
        Sample {
            name: "fr-b2b-facture-acompte",
            doc: deposit_invoice(),
        },
        Sample {
            name: "fr-b2b-facture-solde-apres-acompte",
            doc: final_invoice(),
        },
        Sample {
            name: "fr-b2b-avoir",
            doc: credit_note(),
        },
        Sample {
            name: "b2c-facture-particulier",
            doc: individual_invoice(),
        },
        Sample {
            name: "intra-ue-facture-autoliquidation",
            doc: reverse_charge_invoice(),
        },
        Sample {
            name: "devis",
            doc: quote(),
        },
        Sample {
            name: "brouillon-facture",
            doc: draft_invoice(),
        },
    ]
}

/// The branding of the samples: an accent colour, a footer, no logo.
pub fn branding() -> Branding {
    Branding {
        accent: "#2f6f4f".to_owned(),
        footer: Some("Coopérative d'activité et d'emploi — www.essaim.coop".to_owned()),
        logo: None,
    }
}
