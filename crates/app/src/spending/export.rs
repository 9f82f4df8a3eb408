//! Spending lists as tables (CSV, XLSX): amounts as plain decimals, dates ISO, so a spreadsheet
//! reads them as numbers and dates.

use essaim_documents::table::Table;
use essaim_domain::money::Money;
use essaim_storage::spending::{ReportRecord, SupplierInvoiceRecord};

fn amount(cents: i64) -> String {
    Money::eur(cents).decimal()
}

pub fn reports_table(rows: &[ReportRecord]) -> Table {
    Table {
        sheet: "Notes de frais".into(),
        header: [
            "Mois",
            "Personne",
            "Statut",
            "Lignes",
            "Dépenses TTC",
            "Indemnités kilométriques",
            "TVA récupérée",
            "À rembourser",
            "Remboursée le",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.month.clone(),
                    r.person_name.clone(),
                    r.status.clone(),
                    r.line_count.to_string(),
                    amount(r.expenses_cents),
                    amount(r.mileage_cents),
                    amount(r.recoverable_vat_cents),
                    amount(r.expenses_cents + r.mileage_cents),
                    r.refunded_on.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

pub fn supplier_invoices_table(rows: &[SupplierInvoiceRecord]) -> Table {
    Table {
        sheet: "Factures fournisseurs".into(),
        header: [
            "Date",
            "Fournisseur",
            "SIREN",
            "Numéro",
            "Activité",
            "Catégorie",
            "HT",
            "TVA",
            "TTC",
            "Payé",
            "Échéance",
            "Statut",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|i| {
                vec![
                    i.issue_date.to_string(),
                    i.supplier_name.clone(),
                    i.supplier_siren.clone().unwrap_or_default(),
                    i.number.clone(),
                    i.activity_name.clone(),
                    i.category.clone(),
                    amount(i.net_cents),
                    amount(i.vat_cents),
                    amount(i.total_cents),
                    amount(i.paid_cents),
                    i.due_date.map(|d| d.to_string()).unwrap_or_default(),
                    i.status.clone(),
                ]
            })
            .collect(),
    }
}
