//! Lifecycle messages of French e-invoicing (EIN-20…22): the *compte-rendu de vie* (CDV), an
//! UN/CEFACT Cross Domain Acknowledgement and Response (CDAR, D22B) that carries one status of one
//! invoice between the parties and their platforms. Written for the statuses the cooperative
//! sends (212 Encaissée on a payment; 204, 205, 207, 210 on a received invoice) and read for the
//! statuses it receives, with the same hardened reader as incoming invoices.

use crate::bank::scan::parse_xml_amount;
use crate::xml::{XmlError, walk};
use std::fmt::Write as _;
use time::{Date, OffsetDateTime};

/// A party of the message: its SIREN, its name, its role (`SE` seller, `BY` buyer, `WK` a
/// platform) and its electronic address when it has one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Party {
    pub siren: String,
    pub name: String,
    pub role: String,
    pub address: Option<String>,
}

/// One status of one invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusMessage {
    /// Unique per message (MDT-4).
    pub id: String,
    pub issued_at: OffsetDateTime,
    pub issuer: Party,
    pub recipient: Party,
    /// The invoice the status is about: its number, type code (380, 381, 386…) and date.
    pub invoice_number: String,
    pub invoice_type: String,
    pub invoice_date: Date,
    pub seller_siren: String,
    /// 200 to 213 (MDT-105).
    pub status: u16,
    /// A reason code of the standard's list and its text (required for 207, 208, 210, 213).
    pub reason: Option<(String, String)>,
    /// 212 Encaissée: the amount received in cents and the day (EIN-21).
    pub collected: Option<(i64, Date)>,
}

/// The label the standard gives each status code (MDT-106).
pub fn status_label(code: u16) -> &'static str {
    match code {
        200 => "Deposee",
        201 => "Emise_par_la_plateforme",
        202 => "Recue",
        203 => "Mise_a_disposition",
        204 => "Prise_en_charge",
        205 => "Approuvee",
        206 => "Approuvee_partiellement",
        207 => "En_litige",
        208 => "Suspendue",
        209 => "Completee",
        210 => "Refusee",
        211 => "Paiement_transmis",
        212 => "Encaissee",
        213 => "Rejetee",
        _ => "",
    }
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

fn stamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

fn day(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn party(s: &mut String, tag: &str, p: &Party) {
    let _ = write!(
        s,
        "<ram:{tag}><ram:GlobalID schemeID=\"0002\">{}</ram:GlobalID><ram:Name>{}</ram:Name><ram:RoleCode>{}</ram:RoleCode>",
        esc(&p.siren),
        esc(&p.name),
        esc(&p.role)
    );
    if let Some(a) = &p.address {
        let _ = write!(
            s,
            "<ram:URIUniversalCommunication><ram:URIID schemeID=\"0225\">{}</ram:URIID></ram:URIUniversalCommunication>",
            esc(a)
        );
    }
    let _ = write!(s, "</ram:{tag}>");
}

/// The message as XML.
pub fn write_cdar(m: &StatusMessage) -> String {
    let mut s = String::with_capacity(2_500);
    s.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rsm:CrossDomainAcknowledgementAndResponse \
         xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100\" \
         xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" \
         xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\" \
         xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\">\n\
         <rsm:ExchangedDocumentContext>\
         <ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>REGULATED</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>\
         <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn.cpro.gouv.fr:1p0:CDV:invoice</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>\
         </rsm:ExchangedDocumentContext>\n",
    );
    let stamp = stamp(m.issued_at);
    let _ = write!(
        s,
        "<rsm:ExchangedDocument><ram:ID>{}</ram:ID>\
         <ram:IssueDateTime><udt:DateTimeString format=\"204\">{stamp}</udt:DateTimeString></ram:IssueDateTime>\
         <ram:SenderTradeParty><ram:RoleCode>{}</ram:RoleCode></ram:SenderTradeParty>",
        esc(&m.id),
        esc(&m.issuer.role)
    );
    party(&mut s, "IssuerTradeParty", &m.issuer);
    party(&mut s, "RecipientTradeParty", &m.recipient);
    s.push_str("</rsm:ExchangedDocument>\n");
    let _ = write!(
        s,
        "<rsm:AcknowledgementDocument>\
         <ram:MultipleReferencesIndicator><udt:Indicator>false</udt:Indicator></ram:MultipleReferencesIndicator>\
         <ram:TypeCode>23</ram:TypeCode>\
         <ram:IssueDateTime><udt:DateTimeString format=\"204\">{stamp}</udt:DateTimeString></ram:IssueDateTime>\
         <ram:ReferenceReferencedDocument>\
         <ram:IssuerAssignedID>{}</ram:IssuerAssignedID><ram:TypeCode>{}</ram:TypeCode>\
         <ram:FormattedIssueDateTime><qdt:DateTimeString format=\"102\">{}</qdt:DateTimeString></ram:FormattedIssueDateTime>\
         <ram:ProcessConditionCode>{}</ram:ProcessConditionCode><ram:ProcessCondition>{}</ram:ProcessCondition>\
         <ram:IssuerTradeParty><ram:GlobalID schemeID=\"0002\">{}</ram:GlobalID></ram:IssuerTradeParty>",
        esc(&m.invoice_number),
        esc(&m.invoice_type),
        day(m.invoice_date),
        m.status,
        status_label(m.status),
        esc(&m.seller_siren),
    );
    if m.reason.is_some() || m.collected.is_some() {
        s.push_str("<ram:SpecifiedDocumentStatus>");
        if let Some((code, text)) = &m.reason {
            let _ = write!(
                s,
                "<ram:ReasonCode>{}</ram:ReasonCode><ram:Reason>{}</ram:Reason>",
                esc(code),
                esc(text)
            );
        }
        if let Some((cents, on)) = m.collected {
            let _ = write!(
                s,
                "<ram:SpecifiedDocumentCharacteristic><ram:TypeCode>MEN</ram:TypeCode>\
                 <ram:ValueAmount currencyID=\"EUR\">{}</ram:ValueAmount>\
                 <ram:ValueDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:ValueDateTime>\
                 </ram:SpecifiedDocumentCharacteristic>",
                amount(cents),
                day(on)
            );
        }
        s.push_str("</ram:SpecifiedDocumentStatus>");
    }
    s.push_str("</ram:ReferenceReferencedDocument></rsm:AcknowledgementDocument>\n</rsm:CrossDomainAcknowledgementAndResponse>\n");
    s
}

/// Why a lifecycle message cannot be read: a stable code (`cdar_*`), the line, a detail.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code} (line {line:?}): {detail}")]
pub struct CdarError {
    pub code: &'static str,
    pub line: Option<usize>,
    pub detail: String,
}

fn err(code: &'static str, line: Option<usize>, detail: impl Into<String>) -> CdarError {
    CdarError {
        code,
        line,
        detail: detail.into(),
    }
}

fn date_102(t: &str) -> Option<Date> {
    if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::from_calendar_date(
        t[..4].parse().ok()?,
        time::Month::try_from(t[4..6].parse::<u8>().ok()?).ok()?,
        t[6..].parse().ok()?,
    )
    .ok()
}

fn stamp_204(t: &str) -> Option<OffsetDateTime> {
    if t.len() != 14 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d = date_102(&t[..8])?;
    let time = time::Time::from_hms(
        t[8..10].parse().ok()?,
        t[10..12].parse().ok()?,
        t[12..14].parse().ok()?,
    )
    .ok()?;
    Some(d.with_time(time).assume_utc())
}

/// The party of the message a leaf belongs to (not the invoice's seller, inside the reference).
fn party_of<'a>(m: &'a mut StatusMessage, leaf: &crate::xml::Leaf) -> Option<&'a mut Party> {
    if leaf.within("ReferenceReferencedDocument") {
        None
    } else if leaf.within("IssuerTradeParty") {
        Some(&mut m.issuer)
    } else if leaf.within("RecipientTradeParty") {
        Some(&mut m.recipient)
    } else {
        None
    }
}

/// Reads a lifecycle message.
///
/// Errors: `cdar_encoding`, `cdar_xml_doctype`, `cdar_xml_entity`, `cdar_xml_malformed` (with
/// the line), `cdar_not_cdar` (another document), `cdar_status` (no status code or not one of
/// 200 to 213), `cdar_date`, `cdar_amount`, `cdar_invoice` (no invoice number).
pub fn read_cdar(bytes: &[u8]) -> Result<StatusMessage, CdarError> {
    let wrap = |e: XmlError| match e {
        XmlError::Encoding { line } => err("cdar_encoding", Some(line), "not UTF-8"),
        XmlError::Declaration { line, detail } => err("cdar_xml_doctype", Some(line), detail),
        XmlError::Entity { line, name } => err("cdar_xml_entity", Some(line), format!("&{name};")),
        XmlError::Malformed { line, detail } => err("cdar_xml_malformed", Some(line), detail),
        XmlError::Root { line, found } => err(
            "cdar_not_cdar",
            line,
            found.map_or("empty document".to_owned(), |f| format!("root element {f}")),
        ),
    };
    let mut m = StatusMessage {
        id: String::new(),
        issued_at: OffsetDateTime::UNIX_EPOCH,
        issuer: Party::default(),
        recipient: Party::default(),
        invoice_number: String::new(),
        invoice_type: String::new(),
        invoice_date: Date::MIN,
        seller_siren: String::new(),
        status: 0,
        reason: None,
        collected: None,
    };
    let mut men: Option<i64> = None;
    let mut men_on: Option<Date> = None;
    let mut is_men = false;
    let mut reason_code: Option<String> = None;
    let mut reason_text = String::new();
    walk(
        bytes,
        &["CrossDomainAcknowledgementAndResponse"],
        &["schemeID", "currencyID", "format"],
        wrap,
        |leaf| {
            let v = leaf.value;
            let here = || Some(leaf.line());
            let in_reference = leaf.within("ReferenceReferencedDocument");
            if leaf.ends(&["ExchangedDocument", "ID"]) {
                m.id = v.to_owned();
            } else if leaf.ends(&["ExchangedDocument", "IssueDateTime", "DateTimeString"]) {
                m.issued_at = stamp_204(v).ok_or_else(|| err("cdar_date", here(), v.to_owned()))?;
            } else if leaf.ends(&["GlobalID"]) && !in_reference {
                if let Some(p) = party_of(&mut m, leaf) {
                    p.siren = v.to_owned();
                }
            } else if leaf.ends(&["Name"]) && !in_reference {
                if let Some(p) = party_of(&mut m, leaf) {
                    p.name = v.to_owned();
                }
            } else if leaf.ends(&["RoleCode"]) && !in_reference {
                if let Some(p) = party_of(&mut m, leaf) {
                    p.role = v.to_owned();
                }
            } else if leaf.ends(&["URIUniversalCommunication", "URIID"]) {
                if let Some(p) = party_of(&mut m, leaf) {
                    p.address = Some(v.to_owned());
                }
            } else if leaf.ends(&["ReferenceReferencedDocument", "IssuerAssignedID"]) {
                m.invoice_number = v.to_owned();
            } else if leaf.ends(&["ReferenceReferencedDocument", "TypeCode"]) {
                m.invoice_type = v.to_owned();
            } else if leaf.ends(&["FormattedIssueDateTime", "DateTimeString"]) {
                m.invoice_date =
                    date_102(v).ok_or_else(|| err("cdar_date", here(), v.to_owned()))?;
            } else if leaf.ends(&["ReferenceReferencedDocument", "ProcessConditionCode"]) {
                m.status = v
                    .parse::<u16>()
                    .ok()
                    .filter(|c| (200..=213).contains(c))
                    .ok_or_else(|| err("cdar_status", here(), v.to_owned()))?;
            } else if leaf.ends(&[
                "ReferenceReferencedDocument",
                "IssuerTradeParty",
                "GlobalID",
            ]) {
                m.seller_siren = v.to_owned();
            } else if leaf.ends(&["SpecifiedDocumentStatus", "ReasonCode"]) {
                reason_code = reason_code.take().or(Some(v.to_owned()));
            } else if leaf.ends(&["SpecifiedDocumentStatus", "Reason"]) && reason_text.is_empty() {
                reason_text = v.to_owned();
            } else if leaf.ends(&["SpecifiedDocumentCharacteristic", "TypeCode"]) {
                is_men = v == "MEN";
            } else if leaf.ends(&["SpecifiedDocumentCharacteristic", "ValueAmount"]) && is_men {
                let cents = match v.strip_prefix('-') {
                    Some(rest) => parse_xml_amount(rest).map(|c| -c),
                    None => parse_xml_amount(v),
                };
                men = Some(cents.ok_or_else(|| err("cdar_amount", here(), v.to_owned()))?);
            } else if leaf.ends(&[
                "SpecifiedDocumentCharacteristic",
                "ValueDateTime",
                "DateTimeString",
            ]) && is_men
            {
                men_on = Some(date_102(v).ok_or_else(|| err("cdar_date", here(), v.to_owned()))?);
            }
            Ok(())
        },
    )?;
    if m.status == 0 {
        return Err(err("cdar_status", None, "no ProcessConditionCode"));
    }
    if m.invoice_number.is_empty() {
        return Err(err("cdar_invoice", None, "no IssuerAssignedID"));
    }
    m.reason = reason_code.map(|c| (c, reason_text));
    m.collected = men.map(|c| (c, men_on.unwrap_or(m.issued_at.date())));
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn collected() -> StatusMessage {
        StatusMessage {
            id: "F2026-0042_212_20261130#1".into(),
            issued_at: datetime!(2026-11-30 09:15:02 UTC),
            issuer: Party {
                siren: "732829320".into(),
                name: "Coopérative L'Essaim & Cie".into(),
                role: "SE".into(),
                address: None,
            },
            recipient: Party {
                siren: "552100554".into(),
                name: "Client <SA>".into(),
                role: "BY".into(),
                address: Some("552100554".into()),
            },
            invoice_number: "F2026-0042".into(),
            invoice_type: "380".into(),
            invoice_date: date!(2026 - 11 - 02),
            seller_siren: "732829320".into(),
            status: 212,
            reason: None,
            collected: Some((200_243, date!(2026 - 11 - 29))),
        }
    }

    #[test]
    fn ein_21_a_collection_is_written_with_its_amount_and_read_back() {
        let m = collected();
        let xml = write_cdar(&m);
        assert!(xml.contains("<ram:ProcessConditionCode>212</ram:ProcessConditionCode>"));
        assert!(xml.contains("<ram:ProcessCondition>Encaissee</ram:ProcessCondition>"));
        assert!(xml.contains("<ram:TypeCode>MEN</ram:TypeCode>"));
        assert!(xml.contains("<ram:ValueAmount currencyID=\"EUR\">2002.43</ram:ValueAmount>"));
        assert!(xml.contains("L&apos;Essaim &amp; Cie"), "names are escaped");
        assert!(xml.contains("20261130091502"));
        assert_eq!(read_cdar(xml.as_bytes()), Ok(m));
    }

    #[test]
    fn a_refusal_carries_its_reason() {
        let mut m = collected();
        m.status = 210;
        m.collected = None;
        m.issuer.role = "BY".into();
        m.reason = Some(("TX_TVA_ERR".into(), "Taux de TVA erroné".into()));
        let back = read_cdar(write_cdar(&m).as_bytes()).unwrap();
        assert_eq!(back.status, 210);
        assert_eq!(
            back.reason,
            Some(("TX_TVA_ERR".into(), "Taux de TVA erroné".into()))
        );
        assert_eq!(back, m);
    }

    #[test]
    fn hostile_or_foreign_xml_gets_a_clear_error() {
        let xml = write_cdar(&collected());
        let code = |bytes: &[u8]| read_cdar(bytes).unwrap_err().code;
        let bomb = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>{}",
            &xml[xml.find("<rsm:").unwrap()..]
        );
        assert_eq!(code(bomb.as_bytes()), "cdar_xml_doctype");
        assert_eq!(
            code(
                xml.replace(
                    "F2026-0042</ram:IssuerAssignedID>",
                    "&xxe;</ram:IssuerAssignedID>"
                )
                .as_bytes()
            ),
            "cdar_xml_entity"
        );
        assert_eq!(code(b"<Invoice/>"), "cdar_not_cdar");
        assert_eq!(code(b""), "cdar_not_cdar");
        assert_eq!(code(&[0xff, 0xfe, 0x00]), "cdar_encoding");
        assert_eq!(
            code(xml.replace(">212<", ">299<").as_bytes()),
            "cdar_status"
        );
        assert_eq!(
            code(xml.replace(">20261102<", ">2026-11-02<").as_bytes()),
            "cdar_date"
        );
        assert_eq!(
            code(xml.replace("</rsm:Ac", "</rsm:Xx").as_bytes()),
            "cdar_xml_malformed"
        );
    }
}
