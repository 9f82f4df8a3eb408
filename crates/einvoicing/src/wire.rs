//! The shapes of the AFNOR XP Z12-013 Flow and Directory services on the wire (JSON property
//! names as the standard spells them). Read leniently: versions 1.1 and 1.3 of the standard are
//! both in use, so every enum has an `Unknown` fallback and optional fields default.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The syntax of a flow's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowSyntax {
    #[serde(rename = "CII")]
    Cii,
    #[serde(rename = "UBL")]
    Ubl,
    #[serde(rename = "Factur-X")]
    FacturX,
    /// A lifecycle message (UN/CEFACT Cross Domain Acknowledgement and Response).
    #[serde(rename = "CDAR")]
    Cdar,
    /// An e-reporting file.
    #[serde(rename = "FRR")]
    Frr,
    #[serde(other)]
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowProfile {
    Basic,
    #[serde(rename = "CIUS")]
    Cius,
    #[serde(rename = "Extended-CTC-FR")]
    ExtendedCtcFr,
    #[serde(other)]
    Unknown,
}

/// How the platform must process a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProcessingRule {
    /// E-invoicing between businesses in France.
    #[serde(rename = "B2B")]
    B2b,
    /// International B2B, e-reported.
    #[serde(rename = "B2BInt")]
    B2bInt,
    /// B2C, e-reported.
    #[serde(rename = "B2C")]
    B2c,
    #[serde(rename = "B2G")]
    B2g,
    #[serde(rename = "B2GInt")]
    B2gInt,
    OutOfScope,
    #[serde(rename = "B2GOutOfScope")]
    B2gOutOfScope,
    ArchiveOnly,
    NotApplicable,
    #[serde(other)]
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowDirection {
    In,
    Out,
    #[serde(other)]
    Unknown,
}

/// What the platform made of a flow once it checked it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AckStatus {
    Pending,
    Ok,
    Error,
    #[serde(other)]
    Unknown,
}

/// The kind of a flow, as the platform classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowType {
    CustomerInvoice,
    SupplierInvoice,
    /// A lifecycle message about an invoice the cooperative issued.
    CustomerInvoiceLC,
    /// A lifecycle message about an invoice the cooperative received.
    SupplierInvoiceLC,
    AggregatedCustomerTransactionReport,
    UnitaryCustomerTransactionReport,
    AggregatedCustomerPaymentReport,
    UnitaryCustomerPaymentReport,
    UnitarySupplierTransactionReport,
    MultiFlowReport,
    #[serde(other)]
    Unknown,
}

/// What is sent with a flow's file (`flowInfo` part of `POST /v1/flows`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowInfo {
    /// The sender's own identifier (at most 36 characters, for platforms of the standard's 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    /// The file name (at most 255 characters).
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_rule: Option<ProcessingRule>,
    pub flow_syntax: FlowSyntax,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_profile: Option<FlowProfile>,
    /// SHA-256 of the file, lower-case hex: the platform checks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The platform's answer to a deposit (202).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FullFlowInfo {
    #[serde(flatten)]
    pub info: FlowInfo,
    pub flow_id: String,
    #[serde(default)]
    pub submitted_at: String,
}

/// One problem the platform found in a flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AckDetail {
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub reason_code: String,
    #[serde(default)]
    pub reason_message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub status: AckStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<AckDetail>,
}

/// A flow as the platform describes it (`GET /v1/flows/{id}`, search results, callbacks).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flow {
    pub flow_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub submitted_at: String,
    #[serde(default)]
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_type: Option<FlowType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_rule: Option<ProcessingRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_direction: Option<FlowDirection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_syntax: Option<FlowSyntax>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_profile: Option<FlowProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledgement: Option<Acknowledgement>,
}

impl Flow {
    pub fn updated(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(&self.updated_at, &Rfc3339).ok()
    }
    pub fn submitted(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(&self.submitted_at, &Rfc3339).ok()
    }
}

/// The filters of `POST /v1/flows/search`: all given criteria must hold, lists are "any of".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchFilters {
    /// Strictly after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_before: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub processing_rule: Vec<ProcessingRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow_type: Vec<FlowType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow_direction: Vec<FlowDirection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_status: Option<AckStatus>,
}

impl SearchFilters {
    /// The standard asks for at least one criterion.
    pub fn is_empty(&self) -> bool {
        self == &SearchFilters::default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchParams {
    /// 1 to 100 (25 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(rename = "where")]
    pub filters: SearchFilters,
    /// The opaque cursor of the previous page (the standard's 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    #[serde(default)]
    pub limit: Option<u32>,
    #[serde(default)]
    pub results: Vec<Flow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The standard's error body; every field optional when read (platforms differ).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
}

/// The OAuth2 token answer (client credentials).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub token_type: Option<String>,
}

/// A legal unit of the directory (`GET /v1/siren/code-insee:{siren}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegalUnit {
    pub siren: String,
    #[serde(default)]
    pub business_name: Option<String>,
    /// `Public` or `PrivateVatRegistered`.
    #[serde(default)]
    pub entity_type: Option<String>,
    /// `A` active, `C` closed.
    #[serde(default)]
    pub administrative_status: Option<String>,
}

/// The platform a directory line points to, in the standard's 1.0/1.1 shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinePlatform {
    #[serde(default)]
    pub platform_type: Option<String>,
    #[serde(default)]
    pub platform_status: Option<String>,
}

/// A line of the directory: an electronic address and whether a platform receives for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryLine {
    pub addressing_identifier: String,
    #[serde(default)]
    pub siren: Option<String>,
    #[serde(default)]
    pub siret: Option<String>,
    #[serde(default)]
    pub routing_identifier: Option<String>,
    #[serde(default)]
    pub addressing_suffix: Option<String>,
    /// `Enabled`, `Disabled` or `Upcoming` (1.3).
    #[serde(default)]
    pub directory_line_status: Option<String>,
    /// `WK` an approved platform, `DFH` the public portal (1.3).
    #[serde(default)]
    pub platform_type: Option<String>,
    /// The 1.0/1.1 shape of the same facts.
    #[serde(default)]
    pub platform: Option<LinePlatform>,
}

impl DirectoryLine {
    /// A platform receives invoices for this address today.
    pub fn enabled(&self) -> bool {
        let status = self.directory_line_status.as_deref().or(self
            .platform
            .as_ref()
            .and_then(|p| p.platform_status.as_deref()));
        status == Some("Enabled")
    }

    /// How precise the line is: a routing code, then an establishment, a suffix, the company.
    pub fn precision(&self) -> u8 {
        if self.routing_identifier.is_some() {
            3
        } else if self.siret.is_some() {
            2
        } else if self.addressing_suffix.is_some() {
            1
        } else {
            0
        }
    }
}

/// A strict-equality criterion of a directory search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub op: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineFilters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siren: Option<Criterion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<Criterion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_identifier: Option<Criterion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSearch {
    pub filters: LineFilters,
    #[serde(default)]
    pub limit: Option<u32>,
    /// How many results to skip.
    #[serde(default)]
    pub ignore: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineResults {
    #[serde(default)]
    pub total_number_of_results: Option<i64>,
    #[serde(default)]
    pub results: Vec<DirectoryLine>,
}

/// `2026-12-07T10:00:00Z`, as the platforms expect dates in searches.
pub fn timestamp(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_info_is_written_with_the_standards_names_and_read_back() {
        let info = FlowInfo {
            tracking_id: Some("essaim-1-42".into()),
            name: "F2026-0042.pdf".into(),
            processing_rule: Some(ProcessingRule::B2b),
            flow_syntax: FlowSyntax::FacturX,
            flow_profile: None,
            sha256: Some("ab".repeat(32)),
        };
        let json = serde_json::to_string(&info).unwrap_or_default();
        assert!(json.contains("\"trackingId\":\"essaim-1-42\""), "{json}");
        assert!(json.contains("\"flowSyntax\":\"Factur-X\""), "{json}");
        assert!(json.contains("\"processingRule\":\"B2B\""), "{json}");
        assert!(!json.contains("flowProfile"), "absent fields are not sent");
        let back: FlowInfo = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, info);
    }

    #[test]
    fn unknown_values_of_a_newer_platform_are_read_not_refused() {
        let flow: Flow = serde_json::from_str(
            r#"{"flowId":"f1","flowType":"StateTransactionReport","processingRule":"Undefined",
                "flowDirection":"In","flowSyntax":"CII","acknowledgement":{"status":"Ok"},"extra":1}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(flow.flow_type, Some(FlowType::Unknown));
        assert_eq!(flow.processing_rule, Some(ProcessingRule::Unknown));
        assert_eq!(flow.flow_direction, Some(FlowDirection::In));
        assert_eq!(flow.acknowledgement.map(|a| a.status), Some(AckStatus::Ok));
    }

    #[test]
    fn a_directory_line_is_enabled_in_either_version_of_the_standard() {
        let v13: DirectoryLine = serde_json::from_str(
            r#"{"addressingIdentifier":"732829320","siren":"732829320","directoryLineStatus":"Enabled","platformType":"WK"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let v11: DirectoryLine = serde_json::from_str(
            r#"{"addressingIdentifier":"732829320_73282932000074","siren":"732829320","siret":"73282932000074",
                "platform":{"platformType":"WK","platformStatus":"Disabled"}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(v13.enabled());
        assert!(!v11.enabled());
        assert!(v11.precision() > v13.precision());
    }
}
