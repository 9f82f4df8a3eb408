//! Every URL of the site is built here, never by hand in templates or handlers.

use std::fmt::Display;

pub fn home() -> String {
    "/".into()
}
pub fn login() -> String {
    "/login".into()
}
pub fn coop_home(slug: &str) -> String {
    format!("/c/{slug}")
}
pub fn coop_settings(slug: &str) -> String {
    format!("/c/{slug}/settings")
}
pub fn einvoicing_settings(slug: &str) -> String {
    format!("/c/{slug}/settings/einvoicing")
}
pub fn einvoicing_test(slug: &str) -> String {
    format!("/c/{slug}/settings/einvoicing/test")
}
pub fn coop_logo_upload(slug: &str) -> String {
    format!("/c/{slug}/settings/logo")
}
pub fn coop_logo(slug: &str, hash: &str) -> String {
    format!("/c/{slug}/logo?v={}", &hash[..hash.len().min(12)])
}
pub fn members(slug: &str) -> String {
    format!("/c/{slug}/members")
}
pub fn member_roles(slug: &str, user: impl Display) -> String {
    format!("/c/{slug}/members/{user}/roles")
}
pub fn roles(slug: &str) -> String {
    format!("/c/{slug}/roles")
}
pub fn role(slug: &str, role: impl Display) -> String {
    format!("/c/{slug}/roles/{role}")
}
pub fn sessions(slug: &str) -> String {
    format!("/c/{slug}/sessions")
}
pub fn revoke_session(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/sessions/{id}/revoke")
}
pub fn audit(slug: &str) -> String {
    format!("/c/{slug}/audit")
}
pub fn jobs(slug: &str) -> String {
    format!("/c/{slug}/jobs")
}
pub fn retry_job(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/jobs/{id}/retry")
}
pub fn account() -> String {
    "/account".into()
}
pub fn revoke_my_session(id: impl Display) -> String {
    format!("/account/sessions/{id}/revoke")
}
pub fn revoke_token(id: impl Display) -> String {
    format!("/account/tokens/{id}/revoke")
}
pub fn admin_cooperatives() -> String {
    "/admin/cooperatives".into()
}
pub fn admin_new_cooperative() -> String {
    "/admin/cooperatives/new".into()
}
pub fn host_jobs() -> String {
    "/admin/jobs".into()
}
pub fn retry_host_job(id: impl Display) -> String {
    format!("/admin/jobs/{id}/retry")
}
pub fn people(slug: &str) -> String {
    format!("/c/{slug}/people")
}
pub fn people_csv(slug: &str) -> String {
    format!("/c/{slug}/people/export.csv")
}
pub fn new_person(slug: &str) -> String {
    format!("/c/{slug}/people/new")
}
pub fn person(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}")
}
pub fn edit_person(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}/edit")
}
pub fn person_events(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}/events")
}
pub fn deadlines(slug: &str) -> String {
    format!("/c/{slug}/deadlines")
}
pub fn my_file(slug: &str) -> String {
    format!("/c/{slug}/me")
}
pub fn lists(slug: &str) -> String {
    format!("/c/{slug}/lists")
}
pub fn list_item(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/lists/{id}")
}
pub fn person_account(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}/account")
}
pub fn activities(slug: &str) -> String {
    format!("/c/{slug}/activities")
}
pub fn new_activity(slug: &str) -> String {
    format!("/c/{slug}/activities/new")
}
pub fn activity(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/activities/{id}")
}
pub fn edit_activity(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/activities/{id}/edit")
}
pub fn activity_members(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/activities/{id}/members")
}
pub fn anonymize_person(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}/anonymize")
}
pub fn my_data() -> String {
    "/account/export.json".into()
}
pub fn people_xlsx(slug: &str) -> String {
    format!("/c/{slug}/people/export.xlsx")
}
pub fn directory(slug: &str) -> String {
    format!("/c/{slug}/directory")
}
pub fn my_profile(slug: &str) -> String {
    format!("/c/{slug}/directory/me")
}
pub fn directory_contact(slug: &str, user: impl Display) -> String {
    format!("/c/{slug}/directory/{user}/contact")
}
pub fn document(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/documents/{id}")
}
pub fn person_documents(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}/documents")
}
pub fn activity_documents(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/activities/{id}/documents")
}
pub fn person_contract(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}/contract")
}
pub fn person_contract_pdf(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}/contract.pdf")
}
pub fn contract_template(slug: &str) -> String {
    format!("/c/{slug}/templates/contract")
}
pub fn activities_export(slug: &str, format: &str) -> String {
    format!("/c/{slug}/activities/export.{format}")
}

// Selling (issue 4)
pub fn invoices(slug: &str) -> String {
    format!("/c/{slug}/invoices")
}
pub fn quotes(slug: &str) -> String {
    format!("/c/{slug}/quotes")
}
pub fn receivables(slug: &str) -> String {
    format!("/c/{slug}/receivables")
}
pub fn sales_export(slug: &str, which: &str, format: &str) -> String {
    format!("/c/{slug}/exports/{which}/{format}")
}
pub fn new_sale(slug: &str, kind: &str, activity: impl Display) -> String {
    format!("/c/{slug}/sales/new?kind={kind}&activity={activity}")
}
pub fn new_sale_post(slug: &str) -> String {
    format!("/c/{slug}/sales")
}
pub fn sale(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/sales/{id}")
}
pub fn sale_edit(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/sales/{id}/edit")
}
pub fn sale_file(slug: &str, id: impl Display, format: &str) -> String {
    format!("/c/{slug}/sales/{id}/download/{format}")
}
pub fn public_quote(token: &str) -> String {
    format!("/q/{token}")
}
pub fn customers(slug: &str) -> String {
    format!("/c/{slug}/customers")
}
pub fn new_customer(slug: &str) -> String {
    format!("/c/{slug}/customers/new")
}
pub fn customer(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/customers/{id}")
}
pub fn catalog(slug: &str, activity: impl Display) -> String {
    format!("/c/{slug}/activities/{activity}/catalog")
}
pub fn catalog_item(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/catalog/{id}")
}
pub fn selling_settings(slug: &str) -> String {
    format!("/c/{slug}/settings/selling")
}
pub fn selling_ceilings(slug: &str) -> String {
    format!("/c/{slug}/settings/ceilings")
}
pub fn mail_templates(slug: &str) -> String {
    format!("/c/{slug}/settings/mail-templates")
}
pub fn archives(slug: &str) -> String {
    format!("/c/{slug}/archives")
}
pub fn archive(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/archives/{id}")
}

// The books (issue 7)
pub fn books(slug: &str) -> String {
    format!("/c/{slug}/books")
}
pub fn books_close_month(slug: &str) -> String {
    format!("/c/{slug}/books/close-month")
}
pub fn books_close_year(slug: &str) -> String {
    format!("/c/{slug}/books/close-year")
}
pub fn books_fec(slug: &str, year: i32) -> String {
    format!("/c/{slug}/books/fec?year={year}")
}
pub fn books_journal_export(slug: &str) -> String {
    format!("/c/{slug}/books/journal-export")
}
pub fn books_balance(slug: &str) -> String {
    format!("/c/{slug}/books/balance")
}
pub fn books_ledger(slug: &str, account: &str) -> String {
    format!("/c/{slug}/books/ledger/{account}")
}
pub fn books_entries(slug: &str) -> String {
    format!("/c/{slug}/books/entries")
}
pub fn books_new_entry(slug: &str) -> String {
    format!("/c/{slug}/books/entries/new")
}
pub fn books_entry(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/books/entries/{id}")
}
pub fn books_entry_edit(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/books/entries/{id}/edit")
}
pub fn books_analytic(slug: &str) -> String {
    format!("/c/{slug}/books/analytic")
}
pub fn books_vat(slug: &str) -> String {
    format!("/c/{slug}/books/vat")
}
pub fn books_chart(slug: &str) -> String {
    format!("/c/{slug}/books/chart")
}
pub fn books_bank(slug: &str) -> String {
    format!("/c/{slug}/books/bank")
}
pub fn books_bank_line_book(slug: &str, line: impl Display) -> String {
    format!("/c/{slug}/books/bank/lines/{line}/book")
}
/// A view's table as a file: `base` is the view's path (`books_balance`…), `format` csv or xlsx.
pub fn books_table_export(base: &str, format: &str) -> String {
    format!("{base}/export/{format}")
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

// Spending (issue 5)
pub fn expenses(slug: &str) -> String {
    format!("/c/{slug}/expenses")
}
pub fn expenses_payee(slug: &str) -> String {
    format!("/c/{slug}/expenses/payee")
}
pub fn expenses_mileage(slug: &str) -> String {
    format!("/c/{slug}/expenses/mileage")
}
pub fn expenses_export(slug: &str, format: &str) -> String {
    format!("/c/{slug}/expenses/export/{format}")
}
pub fn expense_categories(slug: &str) -> String {
    format!("/c/{slug}/expenses/categories")
}
pub fn expense_report(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/expenses/{id}")
}
pub fn expense_lines(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/expenses/{id}/lines")
}
pub fn expense_receipt(slug: &str, id: impl Display, line: impl Display) -> String {
    format!("/c/{slug}/expenses/{id}/lines/{line}/receipt")
}
pub fn expense_line_delete(slug: &str, id: impl Display, line: impl Display) -> String {
    format!("/c/{slug}/expenses/{id}/lines/{line}/delete")
}
pub fn expense_trips(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/expenses/{id}/trips")
}
pub fn expense_trip_delete(slug: &str, id: impl Display, line: impl Display) -> String {
    format!("/c/{slug}/expenses/{id}/trips/{line}/delete")
}
pub fn expense_submit(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/expenses/{id}/submit")
}
pub fn expense_decide(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/expenses/{id}/decide")
}
pub fn supplier_invoices(slug: &str) -> String {
    format!("/c/{slug}/supplier-invoices")
}
pub fn new_supplier_invoice(slug: &str) -> String {
    format!("/c/{slug}/supplier-invoices/new")
}
pub fn supplier_invoices_export(slug: &str, format: &str) -> String {
    format!("/c/{slug}/supplier-invoices/export/{format}")
}
pub fn received_invoices(slug: &str) -> String {
    format!("/c/{slug}/received-invoices")
}
pub fn received_invoice(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/received-invoices/{id}")
}
pub fn received_invoice_file(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/received-invoices/{id}/file")
}
pub fn supplier_invoice(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/supplier-invoices/{id}")
}
pub fn supplier_invoice_file(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/supplier-invoices/{id}/file")
}
pub fn supplier_invoice_approve(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/supplier-invoices/{id}/approve")
}
pub fn supplier_invoice_delete(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/supplier-invoices/{id}/delete")
}
pub fn supplier_invoice_payments(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/supplier-invoices/{id}/payments")
}
pub fn payments(slug: &str) -> String {
    format!("/c/{slug}/payments")
}
pub fn payment_batch(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/payments/{id}")
}
pub fn payment_batch_file(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/payments/{id}/file")
}
pub fn payment_batch_confirm(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/payments/{id}/confirm")
}
pub fn payment_batch_cancel(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/payments/{id}/cancel")
}
pub fn payroll_simulator(slug: &str) -> String {
    format!("/c/{slug}/payroll/simulator")
}
pub fn payroll_settings(slug: &str) -> String {
    format!("/c/{slug}/settings/payroll")
}
pub fn activity_account(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/activities/{id}/account")
}
pub fn contribution_settings(slug: &str) -> String {
    format!("/c/{slug}/settings/contribution")
}
pub fn pay_planner_settings(slug: &str) -> String {
    format!("/c/{slug}/settings/contribution/planner")
}
pub fn contribution_policy_delete(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/settings/contribution/{id}/delete")
}
pub fn payroll_months(slug: &str) -> String {
    format!("/c/{slug}/payroll/months")
}
pub fn payroll_month(slug: &str, month: &str) -> String {
    format!("/c/{slug}/payroll/months/{month}")
}
pub fn activity_accounts(slug: &str) -> String {
    format!("/c/{slug}/payroll/accounts")
}
pub fn coaching(slug: &str) -> String {
    format!("/c/{slug}/coaching")
}
pub fn appointments(slug: &str) -> String {
    format!("/c/{slug}/appointments")
}
pub fn new_appointment(slug: &str) -> String {
    format!("/c/{slug}/appointments/new")
}
pub fn appointment(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/appointments/{id}")
}
pub fn appointment_action(slug: &str, id: impl Display, position: impl Display) -> String {
    format!("/c/{slug}/appointments/{id}/actions/{position}")
}
pub fn my_appointments(slug: &str) -> String {
    format!("/c/{slug}/my-appointments")
}
pub fn calendar_feed(token: &str) -> String {
    format!("/calendar/{token}")
}
pub fn coaching_topics(slug: &str) -> String {
    format!("/c/{slug}/settings/coaching")
}
pub fn workshops(slug: &str) -> String {
    format!("/c/{slug}/workshops")
}
pub fn new_workshop(slug: &str) -> String {
    format!("/c/{slug}/workshops/new")
}
pub fn workshop(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/workshops/{id}")
}
pub fn my_competences(slug: &str) -> String {
    format!("/c/{slug}/my-competences")
}
pub fn person_coaching(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/people/{id}/coaching")
}
pub fn competence_grid(slug: &str) -> String {
    format!("/c/{slug}/settings/competences")
}
pub fn trainings(slug: &str) -> String {
    format!("/c/{slug}/trainings")
}
pub fn new_training(slug: &str) -> String {
    format!("/c/{slug}/trainings/new")
}
pub fn training(slug: &str, id: impl Display) -> String {
    format!("/c/{slug}/trainings/{id}")
}
pub fn trainings_summary(slug: &str) -> String {
    format!("/c/{slug}/trainings/summary")
}
