//! The chart of accounts and the journals (ACC-01, ACC-02): account numbers, the default French
//! PCG accounts a CAE uses, and the accounts automatic postings write to — named once, here.

/// A general account number: 3 to 20 characters, the first three digits of the PCG class
/// (FEC-03: "first 3 chars = PCG digits"), then digits or capital letters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountNumber(String);

impl AccountNumber {
    pub fn parse(input: &str) -> Result<AccountNumber, &'static str> {
        let t: String = input.trim().to_uppercase();
        let b = t.as_bytes();
        let ok = (3..=20).contains(&b.len())
            && b[..3].iter().all(u8::is_ascii_digit)
            && (b'1'..=b'8').contains(&b[0])
            && b.iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
        if ok {
            Ok(AccountNumber(t))
        } else {
            Err("account_number_format")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The PCG class of an account (1 to 8): classes 1 to 5 are balance-sheet accounts carried over
/// from one fiscal year to the next; 6 and 7 are charges and revenue.
pub fn class_of(account: &str) -> u8 {
    account
        .bytes()
        .next()
        .filter(u8::is_ascii_digit)
        .map_or(0, |b| b - b'0')
}

/// Whether an account's balance is carried into the next fiscal year's opening entry.
pub fn is_balance_sheet(account: &str) -> bool {
    (1..=5).contains(&class_of(account))
}

/// Whether a line on this account belongs to an activity and carries its analytic code (ACC-01:
/// charges, revenue, customers, suppliers, and the deposits received from customers).
pub fn takes_analytic(account: &str) -> bool {
    matches!(class_of(account), 6 | 7)
        || ["401", "411", "419"].iter().any(|p| account.starts_with(p))
}

/// The analytic code of the structure's own (shared) costs and revenue (ACC-01). Reserved: no
/// activity may take it.
pub const STRUCTURE_ANALYTIC: &str = "STRUCTURE";

/// The accounts automatic postings use (ACC rules, section 5.1 of the domain guide).
pub mod accounts {
    pub const CUSTOMERS: &str = "411000";
    pub const DEPOSITS_RECEIVED: &str = "419100";
    pub const SERVICES: &str = "706000";
    pub const GOODS: &str = "707000";
    pub const ALLOWANCES: &str = "709000";
    pub const BANK: &str = "512000";
    pub const CASH: &str = "530000";
    pub const SUSPENSE: &str = "471000";
    pub const PROFIT: &str = "120000";
    pub const LOSS: &str = "129000";
    pub const DEDUCTIBLE_VAT: &str = "445660";
    pub const SUPPLIERS: &str = "401000";
    /// What the cooperative owes entrepreneurs for their expense reports (ACC 5.1: 425).
    pub const EXPENSE_REPORTS: &str = "425000";
}

/// Whether VAT is due when the invoice is issued (goods, or a cooperative that opted to pay VAT
/// on debits) or when it is paid (services: "TVA sur les encaissements", CGI art. 269-2-c).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VatDue {
    OnIssue,
    OnPayment,
}

/// The collected-VAT account of a rate (4457x per rate, ACC table): `44571n` when due, `44574n`
/// while pending collection. `None` for zero-rated codes, which post no VAT.
pub fn vat_account(vat_code: &str, due: VatDue) -> Option<&'static str> {
    let (collected, pending) = match vat_code {
        "fr20" => ("445711", "445741"),
        "fr10" => ("445712", "445742"),
        "fr5_5" => ("445713", "445743"),
        "fr2_1" => ("445714", "445744"),
        _ => return None,
    };
    Some(match due {
        VatDue::OnIssue => collected,
        VatDue::OnPayment => pending,
    })
}

/// The VAT codes with a collected-VAT account, and their rate label, for the VAT summary.
pub const VAT_RATES: [(&str, &str); 4] = [
    ("fr20", "20 %"),
    ("fr10", "10 %"),
    ("fr5_5", "5,5 %"),
    ("fr2_1", "2,1 %"),
];

/// The accounts a new cooperative starts with (French PCG 2025, the accounts a CAE uses).
pub const DEFAULT_CHART: [(&str, &str); 56] = [
    ("101200", "Capital souscrit, appelé, non versé"),
    ("101300", "Capital souscrit, appelé, versé"),
    ("106100", "Réserve légale"),
    ("106800", "Autres réserves"),
    ("120000", "Résultat de l'exercice (bénéfice)"),
    ("129000", "Résultat de l'exercice (perte)"),
    ("401000", "Fournisseurs"),
    ("408100", "Fournisseurs, factures non parvenues"),
    ("411000", "Clients"),
    ("418100", "Clients, factures à établir"),
    ("419100", "Clients, avances et acomptes reçus"),
    ("421000", "Personnel, rémunérations dues"),
    ("425000", "Personnel, avances et acomptes (notes de frais)"),
    ("428200", "Dettes provisionnées pour congés à payer"),
    ("431000", "Sécurité sociale (Urssaf)"),
    ("437000", "Autres organismes sociaux"),
    ("442100", "Prélèvements à la source (impôt sur le revenu)"),
    ("445510", "TVA à décaisser"),
    ("445620", "TVA déductible sur immobilisations"),
    ("445660", "TVA déductible sur autres biens et services"),
    ("445711", "TVA collectée 20 %"),
    ("445712", "TVA collectée 10 %"),
    ("445713", "TVA collectée 5,5 %"),
    ("445714", "TVA collectée 2,1 %"),
    ("445741", "TVA collectée sur encaissements en attente 20 %"),
    ("445742", "TVA collectée sur encaissements en attente 10 %"),
    ("445743", "TVA collectée sur encaissements en attente 5,5 %"),
    ("445744", "TVA collectée sur encaissements en attente 2,1 %"),
    ("455000", "Associés, comptes courants"),
    ("456100", "Associés, apports en capital"),
    ("456700", "Associés, capital à rembourser"),
    ("471000", "Compte d'attente"),
    ("512000", "Banque"),
    ("530000", "Caisse"),
    ("580000", "Virements internes"),
    ("601000", "Achats stockés, matières premières"),
    ("604000", "Achats d'études et prestations de services"),
    ("606000", "Achats non stockés de matières et fournitures"),
    ("607000", "Achats de marchandises"),
    ("611000", "Sous-traitance générale"),
    ("613000", "Locations"),
    ("616000", "Primes d'assurances"),
    ("622600", "Honoraires"),
    ("623000", "Publicité, publications, relations publiques"),
    ("625100", "Voyages et déplacements"),
    ("625600", "Missions"),
    ("626000", "Frais postaux et de télécommunications"),
    ("627000", "Services bancaires et assimilés"),
    ("641100", "Salaires, appointements"),
    ("645000", "Charges de sécurité sociale et de prévoyance"),
    ("706000", "Prestations de services"),
    ("707000", "Ventes de marchandises"),
    ("708000", "Produits des activités annexes"),
    ("709000", "Rabais, remises et ristournes accordés"),
    ("740000", "Subventions d'exploitation"),
    ("758000", "Produits divers de gestion courante"),
];

/// What a journal is for; each role has one journal the automatic postings use (ACC-02).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JournalRole {
    Sales,
    Purchases,
    Bank,
    Misc,
    Payroll,
    Expenses,
    Opening,
}

impl JournalRole {
    pub const ALL: [JournalRole; 7] = [
        JournalRole::Sales,
        JournalRole::Purchases,
        JournalRole::Bank,
        JournalRole::Misc,
        JournalRole::Payroll,
        JournalRole::Expenses,
        JournalRole::Opening,
    ];
    pub fn code(self) -> &'static str {
        match self {
            JournalRole::Sales => "sales",
            JournalRole::Purchases => "purchases",
            JournalRole::Bank => "bank",
            JournalRole::Misc => "misc",
            JournalRole::Payroll => "payroll",
            JournalRole::Expenses => "expenses",
            JournalRole::Opening => "opening",
        }
    }
    pub fn parse(code: &str) -> Option<JournalRole> {
        JournalRole::ALL.into_iter().find(|r| r.code() == code)
    }
    /// The default journal code and label (ACC-02).
    pub fn default_journal(self) -> (&'static str, &'static str) {
        match self {
            JournalRole::Sales => ("VT", "Ventes"),
            JournalRole::Purchases => ("AC", "Achats"),
            JournalRole::Bank => ("BQ", "Banque"),
            JournalRole::Misc => ("OD", "Opérations diverses"),
            JournalRole::Payroll => ("SA", "Salaires"),
            JournalRole::Expenses => ("NDF", "Notes de frais"),
            JournalRole::Opening => ("AN", "À-nouveaux"),
        }
    }
}

/// A journal code: 1 to 6 capital letters or digits.
pub fn parse_journal_code(input: &str) -> Result<String, &'static str> {
    let t = input.trim().to_uppercase();
    if (1..=6).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        Ok(t)
    } else {
        Err("journal_code_format")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_numbers_start_with_three_pcg_digits() {
        assert_eq!(
            AccountNumber::parse(" 411abc ").map(|a| a.0),
            Ok("411ABC".into())
        );
        assert!(AccountNumber::parse("41").is_err());
        assert!(AccountNumber::parse("4A1000").is_err());
        assert!(AccountNumber::parse("911000").is_err());
        assert!(AccountNumber::parse("411 000").is_err());
    }

    #[test]
    fn the_default_chart_holds_every_account_postings_use() {
        let has = |a: &str| DEFAULT_CHART.iter().any(|(n, _)| *n == a);
        for a in [
            accounts::CUSTOMERS,
            accounts::DEPOSITS_RECEIVED,
            accounts::SERVICES,
            accounts::GOODS,
            accounts::ALLOWANCES,
            accounts::BANK,
            accounts::CASH,
            accounts::SUSPENSE,
            accounts::PROFIT,
            accounts::LOSS,
            accounts::DEDUCTIBLE_VAT,
        ] {
            assert!(has(a), "{a}");
        }
        for (code, _) in VAT_RATES {
            for due in [VatDue::OnIssue, VatDue::OnPayment] {
                assert!(vat_account(code, due).is_some_and(has), "{code}");
            }
        }
        let mut sorted: Vec<_> = DEFAULT_CHART.iter().map(|(n, _)| *n).collect();
        sorted.dedup();
        assert_eq!(sorted.len(), DEFAULT_CHART.len());
        assert!(
            DEFAULT_CHART
                .iter()
                .all(|(n, _)| AccountNumber::parse(n).is_ok())
        );
    }

    #[test]
    fn analytic_codes_go_on_charges_revenue_and_third_parties() {
        assert!(takes_analytic("706000"));
        assert!(takes_analytic("411000"));
        assert!(takes_analytic("419100"));
        assert!(!takes_analytic("445711"));
        assert!(!takes_analytic("512000"));
        assert!(is_balance_sheet("512000") && !is_balance_sheet("706000"));
    }
}
