//! Renders the default CESA contract template with sample data to a file, to look at it:
//! `cargo run -p essaim-documents --example render_default_contract -- /tmp/contrat.pdf`
fn main() -> Result<(), String> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "contrat.pdf".into());
    let data = r#"{"person":"Camille Martin","version_title":"Contrat signé (version 1)","effective_on":"01/03/2026","summary":"Contrat signé",
      "cooperative":{"name":"Coopérative L'Essaim","mention":"SCOP SARL à capital variable — RCS Lyon 732 829 320","address":"12 rue de la République, 69001 Lyon"},
      "clauses":[{"title":"(a) Objectifs et obligations minimales d'activité","text":"Un chiffre d'affaires de 2 000 € HT par mois en moyenne sur l'année."},
                 {"title":"(c) Contribution","text":"11 % du chiffre d'affaires HT encaissé."}]}"#;
    let pdf = essaim_documents::pdf::render(essaim_documents::pdf::CESA_CONTRACT_TEMPLATE, data)?;
    std::fs::write(&out, pdf).map_err(|e| e.to_string())
}
