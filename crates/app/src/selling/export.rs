//! Issued invoices, deposits and credit notes of a cooperative written out as files, for the
//! command line (`essaim invoice export`): every document of a period for an accountant's or an
//! auditor's copy, or a spread of them that covers every kind of document, customer, unit and
//! VAT case, which `scripts/check-facturx` runs through the independent checker (EIN-11).

use super::docs::document_in_coop;
use crate::{App, AppError};
use essaim_documents::sale::{Branding, SaleDocument, SaleKind};
use essaim_domain::ids::{CooperativeId, SaleDocId};
use essaim_storage::sale::{self as store, DocFilter};
use time::Date;

/// An issued document, as it is printed and sent.
pub struct Issued {
    pub id: SaleDocId,
    pub sale: SaleDocument,
    pub branding: Branding,
}

/// The issued invoices, deposits and credit notes of `coop` dated from `from` to `to` (either
/// open), in number order, each as its frozen snapshot renders it.
pub async fn issued_for_cli(
    app: &App,
    coop: CooperativeId,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<Issued>, AppError> {
    let filter = DocFilter {
        kinds: vec!["invoice".into(), "deposit".into(), "credit_note".into()],
        from,
        to,
        ..DocFilter::default()
    };
    let mut tx = app.store.read().await?;
    let rows = store::list_docs(&mut tx, coop, &filter, 10_000_000, 0).await?;
    tx.commit().await?;
    let mut ids: Vec<_> = rows
        .into_iter()
        .filter(|d| d.state == "issued")
        .map(|d| (d.number, SaleDocId::new(d.sale_doc_id)))
        .collect();
    ids.sort();
    let mut out = Vec::with_capacity(ids.len());
    for (_, id) in ids {
        let (sale, branding) = document_in_coop(app, coop, id).await?;
        out.push(Issued { id, sale, branding });
    }
    Ok(out)
}

impl Issued {
    /// Its usual file name without extension (`F2026-00012`).
    pub fn file_stem(&self) -> String {
        super::docs::file_stem(&self.sale, self.id)
    }

    /// Its PDF/A-3 with the Factur-X XML embedded.
    pub fn pdf(&self) -> Result<Vec<u8>, AppError> {
        essaim_documents::sale::sale_pdf(&self.sale, &self.branding)
            .map_err(|e| AppError::Internal(format!("{}: {e}", self.file_stem())))
    }

    /// Its Factur-X (CII) XML alone.
    pub fn xml(&self) -> Result<String, AppError> {
        essaim_documents::sale::cii_xml(&self.sale)
            .map_err(|e| AppError::Internal(format!("{}: {e}", self.file_stem())))
    }
}

/// Who the customer is, as the e-invoicing rules sort them (EIN-02, EIN-30).
pub fn customer_kind(sale: &SaleDocument) -> &'static str {
    match (sale.buyer.is_business, sale.buyer.address.country.as_str()) {
        (true, "FR") => "b2b-fr",
        (true, _) => "b2b-abroad",
        (false, "FR") => "b2c-fr",
        (false, _) => "b2c-abroad",
    }
}

/// The document's kind: a final invoice is an invoice that deducts deposits (their lines have a
/// negative quantity, INV-31).
pub fn document_kind(sale: &SaleDocument) -> &'static str {
    match sale.kind {
        SaleKind::Invoice if sale.lines.iter().any(|l| l.quantity.is_sign_negative()) => "final",
        SaleKind::Invoice => "invoice",
        SaleKind::Deposit => "deposit",
        SaleKind::CreditNote => "credit_note",
        SaleKind::Quote => "quote",
    }
}

/// What a document exercises in its structured data: its kind, its customer, each unit and VAT
/// case of its lines, its discounts.
pub fn traits(sale: &SaleDocument) -> Vec<String> {
    let mut t = vec![
        format!("kind:{}", document_kind(sale)),
        format!("customer:{}", customer_kind(sale)),
    ];
    for line in &sale.lines {
        t.push(format!("unit:{}", line.unit_code));
        if line.allowance_cents != 0 {
            t.push("discount:line".into());
        }
    }
    for v in &sale.vat {
        t.push(format!("vat:{}-{}", v.category, v.rate.normalize()));
    }
    if !sale.allowances.is_empty() {
        t.push("discount:document".into());
    }
    t.sort();
    t.dedup();
    t
}

/// Picks about `n` of `docs` (given in order), indexes in order: first, in order, each document
/// that brings a trait no earlier pick had, so every trait present is covered; then documents
/// evenly spaced over the whole list until `n` are chosen.
pub fn spread(docs: &[Vec<String>], n: usize) -> Vec<usize> {
    let mut chosen = vec![false; docs.len()];
    let mut covered = std::collections::BTreeSet::new();
    for (i, traits) in docs.iter().enumerate() {
        if traits.iter().any(|t| !covered.contains(t)) {
            chosen[i] = true;
            covered.extend(traits.iter().cloned());
        }
    }
    let mut count = chosen.iter().filter(|c| **c).count();
    let missing = n.saturating_sub(count);
    if missing > 0 {
        let free: Vec<usize> = (0..docs.len()).filter(|i| !chosen[*i]).collect();
        let take = missing.min(free.len());
        for k in 0..take {
            chosen[free[k * free.len() / take]] = true;
            count += 1;
        }
    }
    debug_assert!(count >= n.min(docs.len()));
    (0..docs.len()).filter(|i| chosen[*i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(traits: &[&str]) -> Vec<String> {
        traits.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn a_spread_covers_every_trait_then_fills_evenly() {
        let mut docs = vec![doc(&["kind:invoice", "unit:HUR"]); 100];
        docs[40] = doc(&["kind:invoice", "unit:HD"]);
        docs[97] = doc(&["kind:credit_note", "unit:HUR"]);
        let picked = spread(&docs, 10);
        assert_eq!(picked.len(), 10);
        for must in [0, 40, 97] {
            assert!(picked.contains(&must), "{must} in {picked:?}");
        }
        // Spread over the whole list, not bunched at its start.
        assert!(picked.iter().any(|i| (60..97).contains(i)), "{picked:?}");
        let mut sorted = picked.clone();
        sorted.dedup();
        assert_eq!(sorted, picked);
        // Fewer documents than asked: all of them.
        assert_eq!(spread(&docs[..5], 10), vec![0, 1, 2, 3, 4]);
        // Coverage wins over the number asked.
        assert_eq!(spread(&docs, 1), vec![0, 40, 97]);
    }
}
