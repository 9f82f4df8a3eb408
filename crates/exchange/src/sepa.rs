//! SEPA credit transfers, ISO 20022 `pain.001.001.09`: the file a cooperative uploads to its bank
//! to refund expense reports and pay suppliers in one batch (issue 5).
//!
//! Pure: values in, the XML document out. Amounts are whole cents (`i64`, positive). Names and
//! texts are brought to the SEPA character set (EPC guidelines: Latin letters, digits and
//! `/ - ? : ( ) . , ' +` and space): accents are dropped, anything else becomes a space, and each
//! is cut at its schema length. IBANs and BICs are expected checked by the caller (the domain's
//! `Iban`); the writer refuses an empty batch, a non-positive amount, and an execution date it
//! cannot write.

use std::fmt::Write;
use time::Date;

/// One payment of the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    /// Unique reference carried to the payee's statement (at most 35 characters).
    pub end_to_end_id: String,
    pub amount_cents: i64,
    pub creditor_name: String,
    pub creditor_iban: String,
    pub creditor_bic: Option<String>,
    /// What the payee reads on their statement (at most 140 characters).
    pub remittance: String,
}

/// A batch of transfers from one account, on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// Unique per file (at most 35 characters).
    pub message_id: String,
    /// When the file was made, as `YYYY-MM-DDThh:mm:ss` (local time of the cooperative).
    pub created_at: String,
    pub execution_date: Date,
    pub debtor_name: String,
    pub debtor_iban: String,
    pub debtor_bic: Option<String>,
    pub transfers: Vec<Transfer>,
}

/// Why a batch cannot be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SepaError {
    #[error("no transfer in the batch")]
    Empty,
    #[error("transfer {0}: the amount must be positive")]
    Amount(usize),
}

/// Text in the SEPA character set, at most `max` characters.
pub fn sepa_text(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mapped = match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => Some(c),
            '/' | '-' | '?' | ':' | '(' | ')' | '.' | ',' | '\'' | '+' | ' ' => Some(c),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Some('a'),
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => Some('A'),
            'ç' => Some('c'),
            'Ç' => Some('C'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'È' | 'É' | 'Ê' | 'Ë' => Some('E'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'Ì' | 'Í' | 'Î' | 'Ï' => Some('I'),
            'ñ' => Some('n'),
            'Ñ' => Some('N'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => Some('o'),
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => Some('O'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'Ù' | 'Ú' | 'Û' | 'Ü' => Some('U'),
            'ý' | 'ÿ' => Some('y'),
            'Ý' | 'Ÿ' => Some('Y'),
            '’' | '‘' => Some('\''),
            '–' | '—' => Some('-'),
            _ => None,
        };
        match (mapped, c) {
            (Some(m), _) => out.push(m),
            (None, 'œ') => out.push_str("oe"),
            (None, 'Œ') => out.push_str("OE"),
            (None, 'æ') => out.push_str("ae"),
            (None, 'Æ') => out.push_str("AE"),
            (None, 'ß') => out.push_str("ss"),
            (None, _) => out.push(' '),
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .chars()
        .take(max)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// An identifier (message, payment, end to end): SEPA characters without spaces, at most 35.
fn sepa_id(s: &str) -> String {
    sepa_text(s, 35).replace(' ', "-")
}

/// Whole cents as `1234.56`.
fn amount(cents: i64) -> String {
    let c = cents.unsigned_abs();
    format!("{}.{:02}", c / 100, c % 100)
}

fn agent(out: &mut String, tag: &str, bic: Option<&str>) {
    let _ = match bic.map(str::trim).filter(|b| !b.is_empty()) {
        Some(b) => write!(
            out,
            "<{tag}><FinInstnId><BICFI>{}</BICFI></FinInstnId></{tag}>",
            sepa_id(b)
        ),
        None => write!(
            out,
            "<{tag}><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></{tag}>"
        ),
    };
}

/// The batch as a `pain.001.001.09` document: one payment information block, SEPA service
/// level, charges shared (`SLEV`), the control sums and counts in the group header and the block.
pub fn write_pain001(batch: &Batch) -> Result<String, SepaError> {
    if batch.transfers.is_empty() {
        return Err(SepaError::Empty);
    }
    if let Some(i) = batch.transfers.iter().position(|t| t.amount_cents <= 0) {
        return Err(SepaError::Amount(i + 1));
    }
    let total: i64 = batch.transfers.iter().map(|t| t.amount_cents).sum();
    let count = batch.transfers.len();
    let debtor = sepa_text(&batch.debtor_name, 70);
    let id = sepa_id(&batch.message_id);
    let mut s = String::with_capacity(1_000 + count * 450);
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"><CstmrCdtTrfInitn>\n\
         <GrpHdr><MsgId>{id}</MsgId><CreDtTm>{}</CreDtTm><NbOfTxs>{count}</NbOfTxs>\
         <CtrlSum>{}</CtrlSum><InitgPty><Nm>{debtor}</Nm></InitgPty></GrpHdr>\n\
         <PmtInf><PmtInfId>{id}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>\
         <NbOfTxs>{count}</NbOfTxs><CtrlSum>{}</CtrlSum>\
         <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\
         <ReqdExctnDt><Dt>{}</Dt></ReqdExctnDt><Dbtr><Nm>{debtor}</Nm></Dbtr>\
         <DbtrAcct><Id><IBAN>{}</IBAN></Id></DbtrAcct>",
        sepa_text(&batch.created_at, 19),
        amount(total),
        amount(total),
        batch.execution_date,
        sepa_id(&batch.debtor_iban),
    );
    agent(&mut s, "DbtrAgt", batch.debtor_bic.as_deref());
    s.push_str("<ChrgBr>SLEV</ChrgBr>\n");
    for t in &batch.transfers {
        let _ = write!(
            s,
            "<CdtTrfTxInf><PmtId><EndToEndId>{}</EndToEndId></PmtId>\
             <Amt><InstdAmt Ccy=\"EUR\">{}</InstdAmt></Amt>",
            sepa_id(&t.end_to_end_id),
            amount(t.amount_cents),
        );
        if let Some(bic) = t.creditor_bic.as_deref().filter(|b| !b.trim().is_empty()) {
            agent(&mut s, "CdtrAgt", Some(bic));
        }
        let _ = writeln!(
            s,
            "<Cdtr><Nm>{}</Nm></Cdtr><CdtrAcct><Id><IBAN>{}</IBAN></Id></CdtrAcct>\
             <RmtInf><Ustrd>{}</Ustrd></RmtInf></CdtTrfTxInf>",
            sepa_text(&t.creditor_name, 70),
            sepa_id(&t.creditor_iban),
            sepa_text(&t.remittance, 140),
        );
    }
    s.push_str("</PmtInf></CstmrCdtTrfInitn></Document>\n");
    Ok(s)
}

/// A batch of `n` refunds from the demo cooperative, whose payees' names carry accents and
/// signs outside the SEPA character set: for the checker (`scripts/check-sepa`), benchmarks and
/// tests.
pub fn sample(n: usize) -> Batch {
    let names = [
        "Zoé Lefèvre & Cœur",
        "Anaïs Œuvray-Müller",
        "Jean-Noël d’Argent",
        "SARL Les Ateliers & Cie",
    ];
    Batch {
        message_id: "ESSAIM-2026-12-07-001".into(),
        created_at: "2026-12-07T10:15:00".into(),
        execution_date: time::macros::date!(2026 - 12 - 08),
        debtor_name: "Coopérative L'Essaim".into(),
        debtor_iban: "FR7630006000011234567890189".into(),
        debtor_bic: Some("AGRIFRPP".into()),
        transfers: (0..n)
            .map(|i| Transfer {
                end_to_end_id: format!("NDF-2026-11-{i:05}"),
                amount_cents: 1_234 + i as i64,
                creditor_name: names[i % names.len()].into(),
                creditor_iban: "FR1420041010050500013M02606".into(),
                creditor_bic: (i % 2 == 0).then(|| "PSSTFRPPLIL".into()),
                remittance: format!("Remboursement note de frais n° {i} — novembre 2026"),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(n: usize) -> Batch {
        sample(n)
    }

    #[test]
    fn texts_are_brought_to_the_sepa_character_set() {
        assert_eq!(sepa_text("Zoé Lefèvre & Cœur", 70), "Zoe Lefevre Coeur");
        assert_eq!(
            sepa_text("Coopérative L’Essaim", 70),
            "Cooperative L'Essaim"
        );
        assert_eq!(sepa_text("n° 12 <b>", 70), "n 12 b");
        assert_eq!(sepa_text("abcdef", 3), "abc");
    }

    #[test]
    fn the_control_sums_and_counts_add_up() {
        let xml = write_pain001(&batch(3)).unwrap_or_default();
        assert!(xml.contains("<NbOfTxs>3</NbOfTxs>"));
        // 12.34 + 12.35 + 12.36
        assert_eq!(xml.matches("<CtrlSum>37.05</CtrlSum>").count(), 2);
        assert!(xml.contains("<InstdAmt Ccy=\"EUR\">12.36</InstdAmt>"));
        assert!(xml.contains("<Nm>Zoe Lefevre Coeur</Nm>"));
        assert_eq!(xml.matches("<CdtrAgt>").count(), 2);
    }

    #[test]
    fn an_empty_batch_or_a_non_positive_amount_is_refused() {
        assert_eq!(write_pain001(&batch(0)), Err(SepaError::Empty));
        let mut b = batch(2);
        b.transfers[1].amount_cents = 0;
        assert_eq!(write_pain001(&b), Err(SepaError::Amount(2)));
    }
}
