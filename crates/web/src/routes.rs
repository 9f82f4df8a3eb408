//! The route table: every route with the access it requires. The guard enforces the declaration
//! before the handler runs, and the permission-matrix test reads the same table, so a route
//! cannot exist without a declared access.

use crate::error::{ApiError, PageFailure, error_page};
use crate::state::AppState;
use crate::view::{Page, PageFacts};
use crate::{api, assets, pages, security};
use axum::Router;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::Method;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use essaim_app::{AppError, cooperatives};
use essaim_domain::access::Permission;

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in page, static files).
    Public,
    /// Any signed-in person.
    SignedIn,
    /// A host administrator of the deployment.
    HostAdmin,
    /// Anyone holding a role in the cooperative named by `{coop}`.
    Member,
    /// Someone holding this permission in the cooperative named by `{coop}`.
    Perm(Permission),
    /// Someone holding one of these permissions (the use case decides what each may do).
    AnyOf(&'static [Permission]),
}

#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// Trainings: the support team (coaching) and whoever sells for an activity (its courses).
const TRAINING: &[Permission] = &[Permission::CoachingManage, Permission::SaleManage];

#[rustfmt::skip] // one route per line: the table reads as a table
fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::*;
    use Permission as P;
    let r = |method: Method, path: &'static str, access: Access, mr: MethodRouter<AppState>| (RouteSpec { method, path, access }, mr);
    vec![
        r(Method::GET, "/healthz", Public, get(pages::health)),
        r(Method::GET, "/static/{file}", Public, get(assets::serve)),
        r(Method::GET, "/login", Public, get(pages::auth::login_form)),
        r(Method::POST, "/login", Public, post(pages::auth::login)),
        r(Method::POST, "/logout", SignedIn, post(pages::auth::logout)),
        r(Method::GET, "/password/forgot", Public, get(pages::auth::forgot_form)),
        r(Method::POST, "/password/forgot", Public, post(pages::auth::forgot)),
        r(Method::GET, "/password/reset/{token}", Public, get(pages::auth::reset_form)),
        r(Method::POST, "/password/reset/{token}", Public, post(pages::auth::reset)),
        r(Method::POST, "/language", Public, post(pages::account::language)),
        r(Method::GET, "/", SignedIn, get(pages::home::choose)),
        r(Method::GET, "/account", SignedIn, get(pages::account::show)),
        r(Method::GET, "/account/export.json", SignedIn, get(pages::account::export)),
        r(Method::GET, "/account/export.pdf", SignedIn, get(pages::account::export_pdf)),
        r(Method::GET, "/notifications", SignedIn, get(pages::account::notifications)),
        r(Method::POST, "/notifications/read", SignedIn, post(pages::account::read_notifications)),
        r(Method::POST, "/account/password", SignedIn, post(pages::account::change_password)),
        r(Method::POST, "/account/sessions/{id}/revoke", SignedIn, post(pages::account::revoke_session)),
        r(Method::POST, "/account/tokens", SignedIn, post(pages::account::create_token)),
        r(Method::POST, "/account/tokens/{id}/revoke", SignedIn, post(pages::account::revoke_token)),
        r(Method::GET, "/admin/cooperatives", HostAdmin, get(pages::admin::list)),
        r(Method::GET, "/admin/cooperatives/new", HostAdmin, get(pages::admin::new)),
        r(Method::POST, "/admin/cooperatives", HostAdmin, post(pages::admin::create)),
        r(Method::GET, "/admin/jobs", HostAdmin, get(pages::jobs::list_host)),
        r(Method::POST, "/admin/jobs/{id}/retry", HostAdmin, post(pages::jobs::retry_host)),
        r(Method::GET, "/c/{coop}", Member, get(pages::home::show)),
        r(Method::GET, "/c/{coop}/logo", Member, get(pages::settings::logo)),
        r(Method::GET, "/c/{coop}/settings", Perm(P::CooperativeSettings), get(pages::settings::edit)),
        r(Method::POST, "/c/{coop}/settings", Perm(P::CooperativeSettings), post(pages::settings::update)),
        r(Method::POST, "/c/{coop}/settings/logo", Perm(P::CooperativeSettings), post(pages::settings::upload_logo)),
        r(Method::GET, "/c/{coop}/lists", Perm(P::CooperativeSettings), get(pages::people::lists)),
        r(Method::POST, "/c/{coop}/lists", Perm(P::CooperativeSettings), post(pages::people::add_item)),
        r(Method::POST, "/c/{coop}/lists/{id}", Perm(P::CooperativeSettings), post(pages::people::update_item)),
        r(Method::GET, "/c/{coop}/members", Perm(P::MemberRead), get(pages::members::list)),
        r(Method::POST, "/c/{coop}/members", Perm(P::MemberManage), post(pages::members::add)),
        r(Method::POST, "/c/{coop}/members/{user}/roles", Perm(P::MemberManage), post(pages::members::set_roles)),
        r(Method::GET, "/c/{coop}/roles", Perm(P::RoleManage), get(pages::members::roles)),
        r(Method::POST, "/c/{coop}/roles/{role}", Perm(P::RoleManage), post(pages::members::update_role)),
        r(Method::GET, "/c/{coop}/sessions", Perm(P::SessionRevoke), get(pages::members::sessions)),
        r(Method::POST, "/c/{coop}/sessions/{id}/revoke", Perm(P::SessionRevoke), post(pages::members::revoke_session)),
        r(Method::GET, "/c/{coop}/people", Perm(P::PersonRead), get(pages::people::list)),
        r(Method::POST, "/c/{coop}/people", Perm(P::PersonManage), post(pages::people::create)),
        r(Method::GET, "/c/{coop}/people/export.csv", Perm(P::PersonRead), get(pages::people::export_csv)),
        r(Method::GET, "/c/{coop}/people/export.xlsx", Perm(P::PersonRead), get(pages::people::export_xlsx)),
        r(Method::GET, "/c/{coop}/people/new", Perm(P::PersonManage), get(pages::people::new)),
        r(Method::GET, "/c/{coop}/people/{id}", Member, get(pages::people::show)),
        r(Method::POST, "/c/{coop}/people/{id}", Perm(P::PersonManage), post(pages::people::update)),
        r(Method::GET, "/c/{coop}/people/{id}/edit", Perm(P::PersonManage), get(pages::people::edit)),
        r(Method::POST, "/c/{coop}/people/{id}/account", Perm(P::PersonManage), post(pages::people::link_account)),
        r(Method::POST, "/c/{coop}/people/{id}/events", Perm(P::PersonManage), post(pages::people::record_event)),
        r(Method::POST, "/c/{coop}/people/{id}/anonymize", Perm(P::CooperativeSettings), post(pages::people::anonymize)),
        r(Method::GET, "/c/{coop}/me", Member, get(pages::people::mine)),
        r(Method::GET, "/c/{coop}/deadlines", Perm(P::PersonRead), get(pages::people::deadlines)),
        r(Method::GET, "/c/{coop}/activities", Perm(P::ActivityRead), get(pages::activities::list)),
        r(Method::POST, "/c/{coop}/activities", Perm(P::ActivityManage), post(pages::activities::create)),
        r(Method::GET, "/c/{coop}/activities/new", Perm(P::ActivityManage), get(pages::activities::new)),
        r(Method::GET, "/c/{coop}/activities/export.csv", Perm(P::ActivityRead), get(pages::activities::export_csv)),
        r(Method::GET, "/c/{coop}/activities/export.xlsx", Perm(P::ActivityRead), get(pages::activities::export_xlsx)),
        r(Method::GET, "/c/{coop}/activities/{id}", Perm(P::ActivityRead), get(pages::activities::show)),
        r(Method::GET, "/c/{coop}/activities/{id}/account", Perm(P::ActivityRead), get(pages::payroll::account::show)),
        r(Method::POST, "/c/{coop}/activities/{id}", Perm(P::ActivityManage), post(pages::activities::update)),
        r(Method::GET, "/c/{coop}/activities/{id}/edit", Perm(P::ActivityManage), get(pages::activities::edit)),
        r(Method::POST, "/c/{coop}/activities/{id}/members", Perm(P::ActivityManage), post(pages::activities::set_members)),
        r(Method::GET, "/c/{coop}/directory", Member, get(pages::directory::list)),
        r(Method::GET, "/c/{coop}/directory/me", Member, get(pages::directory::my_profile)),
        r(Method::POST, "/c/{coop}/directory/me", Member, post(pages::directory::save_profile)),
        r(Method::POST, "/c/{coop}/directory/{user}/contact", Member, post(pages::directory::contact)),
        r(Method::GET, "/c/{coop}/people/{id}/contract", Member, get(pages::contracts::show)),
        r(Method::GET, "/c/{coop}/people/{id}/contract.pdf", Member, get(pages::contracts::pdf)),
        r(Method::GET, "/c/{coop}/templates/contract", Perm(P::CooperativeSettings), get(pages::contracts::template)),
        r(Method::POST, "/c/{coop}/templates/contract", Perm(P::CooperativeSettings), post(pages::contracts::save_template)),
        r(Method::POST, "/c/{coop}/templates/contract/reset", Perm(P::CooperativeSettings), post(pages::contracts::reset_template)),
        r(Method::POST, "/c/{coop}/people/{id}/contract", Perm(P::PersonManage), post(pages::contracts::record)),
        r(Method::POST, "/c/{coop}/people/{id}/documents", Perm(P::PersonManage), post(pages::documents::upload_for_person)),
        r(Method::POST, "/c/{coop}/activities/{id}/documents", Perm(P::ActivityManage), post(pages::documents::upload_for_activity)),
        r(Method::GET, "/c/{coop}/documents/{id}", Member, get(pages::documents::download)),
        r(Method::GET, "/c/{coop}/audit", Perm(P::AuditRead), get(pages::audit::list)),
        r(Method::GET, "/c/{coop}/jobs", Perm(P::JobManage), get(pages::jobs::list)),
        r(Method::POST, "/c/{coop}/jobs/{id}/retry", Perm(P::JobManage), post(pages::jobs::retry)),
        // JSON API
        r(Method::GET, "/c/{coop}/quotes", Perm(P::SaleRead), get(pages::sales::quotes)),
        r(Method::GET, "/c/{coop}/invoices", Perm(P::SaleRead), get(pages::sales::invoices)),
        r(Method::GET, "/c/{coop}/receivables", Perm(P::SaleRead), get(pages::sales::receivables)),
        r(Method::GET, "/c/{coop}/exports/{which}/{format}", Perm(P::SaleRead), get(pages::sales::export)),
        r(Method::GET, "/c/{coop}/sales/new", Perm(P::SaleManage), get(pages::sales::new)),
        r(Method::POST, "/c/{coop}/sales", Perm(P::SaleManage), post(pages::sales::create)),
        r(Method::GET, "/c/{coop}/sales/{id}", Perm(P::SaleRead), get(pages::sales::show)),
        r(Method::GET, "/c/{coop}/sales/{id}/edit", Perm(P::SaleManage), get(pages::sales::edit)),
        r(Method::POST, "/c/{coop}/sales/{id}/edit", Perm(P::SaleManage), post(pages::sales::update)),
        r(Method::POST, "/c/{coop}/sales/{id}/validate", Member, post(pages::sales::validate)),
        r(Method::GET, "/c/{coop}/coaching", Perm(P::CoachingManage), get(pages::coaching::coaching_dashboard)),
        r(Method::GET, "/c/{coop}/appointments", Perm(P::CoachingManage), get(pages::coaching::agenda)),
        r(Method::POST, "/c/{coop}/appointments", Perm(P::CoachingManage), post(pages::coaching::create_appointment)),
        r(Method::GET, "/c/{coop}/appointments/new", Perm(P::CoachingManage), get(pages::coaching::new_appointment)),
        r(Method::GET, "/c/{coop}/appointments/{id}", Member, get(pages::coaching::appointment)),
        r(Method::GET, "/c/{coop}/appointments/{id}/edit", Perm(P::CoachingManage), get(pages::coaching::edit_appointment)),
        r(Method::POST, "/c/{coop}/appointments/{id}/edit", Perm(P::CoachingManage), post(pages::coaching::update_appointment)),
        r(Method::POST, "/c/{coop}/appointments/{id}/status", Perm(P::CoachingManage), post(pages::coaching::appointment_status)),
        r(Method::POST, "/c/{coop}/appointments/{id}/documents", Perm(P::CoachingManage), post(pages::documents::upload_for_appointment)),
        r(Method::POST, "/c/{coop}/appointments/{id}/actions/{position}", Member, post(pages::coaching::appointment_action)),
        r(Method::GET, "/c/{coop}/appointments/{id}/ics", Member, get(pages::coaching::appointment_ics)),
        r(Method::GET, "/c/{coop}/my-appointments", Member, get(pages::coaching::my_appointments)),
        r(Method::POST, "/c/{coop}/my-appointments/feed", Member, post(pages::coaching::new_feed)),
        r(Method::GET, "/c/{coop}/settings/coaching", Perm(P::CoachingManage), get(pages::coaching::topics)),
        r(Method::POST, "/c/{coop}/settings/coaching", Perm(P::CoachingManage), post(pages::coaching::save_topics)),
        r(Method::GET, "/c/{coop}/workshops", Member, get(pages::coaching::workshops::workshops)),
        r(Method::POST, "/c/{coop}/workshops", Perm(P::CoachingManage), post(pages::coaching::workshops::create_workshop)),
        r(Method::GET, "/c/{coop}/workshops/new", Perm(P::CoachingManage), get(pages::coaching::workshops::new_workshop)),
        r(Method::GET, "/c/{coop}/workshops/{id}", Member, get(pages::coaching::workshops::workshop)),
        r(Method::GET, "/c/{coop}/workshops/{id}/edit", Perm(P::CoachingManage), get(pages::coaching::workshops::edit_workshop)),
        r(Method::POST, "/c/{coop}/workshops/{id}/edit", Perm(P::CoachingManage), post(pages::coaching::workshops::update_workshop)),
        r(Method::POST, "/c/{coop}/workshops/{id}/register", Member, post(pages::coaching::workshops::register)),
        r(Method::POST, "/c/{coop}/workshops/{id}/withdraw", Member, post(pages::coaching::workshops::withdraw)),
        r(Method::POST, "/c/{coop}/workshops/{id}/attendance", Perm(P::CoachingManage), post(pages::coaching::workshops::attendance)),
        r(Method::POST, "/c/{coop}/workshops/{id}/cancel", Perm(P::CoachingManage), post(pages::coaching::workshops::cancel)),
        r(Method::GET, "/c/{coop}/workshops/{id}/sheet", Perm(P::CoachingManage), get(pages::coaching::workshops::sheet)),
        r(Method::GET, "/c/{coop}/trainings", AnyOf(TRAINING), get(pages::coaching::trainings::list)),
        r(Method::POST, "/c/{coop}/trainings", AnyOf(TRAINING), post(pages::coaching::trainings::create_course)),
        r(Method::POST, "/c/{coop}/trainings/declaration", Perm(P::CooperativeSettings), post(pages::coaching::trainings::declare)),
        r(Method::GET, "/c/{coop}/trainings/new", AnyOf(TRAINING), get(pages::coaching::trainings::new_course)),
        r(Method::GET, "/c/{coop}/trainings/summary", Perm(P::CoachingManage), get(pages::coaching::trainings::summary)),
        r(Method::GET, "/c/{coop}/trainings/summary/{format}", Perm(P::CoachingManage), get(pages::coaching::trainings::summary_file)),
        r(Method::GET, "/c/{coop}/trainings/{id}", AnyOf(TRAINING), get(pages::coaching::trainings::course)),
        r(Method::GET, "/c/{coop}/trainings/{id}/edit", AnyOf(TRAINING), get(pages::coaching::trainings::edit_course)),
        r(Method::POST, "/c/{coop}/trainings/{id}/edit", AnyOf(TRAINING), post(pages::coaching::trainings::update_course)),
        r(Method::POST, "/c/{coop}/trainings/{id}/sessions", AnyOf(TRAINING), post(pages::coaching::trainings::add_session)),
        r(Method::POST, "/c/{coop}/trainings/{id}/sessions/{session}/delete", AnyOf(TRAINING), post(pages::coaching::trainings::remove_session)),
        r(Method::POST, "/c/{coop}/trainings/{id}/trainees", AnyOf(TRAINING), post(pages::coaching::trainings::add_trainee)),
        r(Method::POST, "/c/{coop}/trainings/{id}/trainees/{trainee}/delete", AnyOf(TRAINING), post(pages::coaching::trainings::remove_trainee)),
        r(Method::POST, "/c/{coop}/trainings/{id}/attendance", AnyOf(TRAINING), post(pages::coaching::trainings::attendance)),
        r(Method::GET, "/c/{coop}/my-competences", Member, get(pages::coaching::competences::my_competences)),
        r(Method::POST, "/c/{coop}/my-competences", Member, post(pages::coaching::competences::assess_myself)),
        r(Method::GET, "/c/{coop}/people/{id}/coaching", Perm(P::CoachingManage), get(pages::coaching::competences::person_coaching)),
        r(Method::POST, "/c/{coop}/people/{id}/coaching/competences", Perm(P::CoachingManage), post(pages::coaching::competences::assess_person)),
        r(Method::GET, "/c/{coop}/settings/competences", Perm(P::CoachingManage), get(pages::coaching::competences::grid)),
        r(Method::POST, "/c/{coop}/settings/competences", Perm(P::CoachingManage), post(pages::coaching::competences::save_grid)),
        r(Method::GET, "/c/{coop}/coaching/report", Perm(P::CoachingManage), get(pages::coaching::report::report)),
        r(Method::GET, "/c/{coop}/coaching/report/{format}", Perm(P::CoachingManage), get(pages::coaching::report::report_file)),
        r(Method::GET, "/calendar/{token}", Public, get(pages::coaching::calendar_feed)),
        r(Method::POST, "/c/{coop}/sales/{id}/review/ask", Member, post(pages::sales::ask_review)),
        r(Method::POST, "/c/{coop}/sales/{id}/review/return", Member, post(pages::sales::return_review)),
        r(Method::POST, "/c/{coop}/sales/{id}/send", Perm(P::SaleManage), post(pages::sales::send)),
        r(Method::POST, "/c/{coop}/sales/{id}/outcome", Perm(P::SaleManage), post(pages::sales::outcome)),
        r(Method::POST, "/c/{coop}/sales/{id}/deposit", Perm(P::SaleManage), post(pages::sales::deposit)),
        r(Method::POST, "/c/{coop}/sales/{id}/final", Perm(P::SaleManage), post(pages::sales::final_invoice)),
        r(Method::POST, "/c/{coop}/sales/{id}/credit-note", Perm(P::SaleManage), post(pages::sales::credit_note)),
        r(Method::POST, "/c/{coop}/sales/{id}/duplicate", Perm(P::SaleManage), post(pages::sales::duplicate)),
        r(Method::POST, "/c/{coop}/sales/{id}/delete", Perm(P::SaleManage), post(pages::sales::delete)),
        r(Method::POST, "/c/{coop}/sales/{id}/payments", Perm(P::PaymentRecord), post(pages::sales::payment)),
        r(Method::POST, "/c/{coop}/sales/{id}/einvoice/resend", Perm(P::InvoiceValidate), post(pages::sales::einvoice_resend)),
        r(Method::GET, "/c/{coop}/payroll/simulator", Member, get(pages::payroll::simulator)),
        r(Method::GET, "/c/{coop}/payroll/accounts", Perm(P::ActivityRead), get(pages::payroll::overview::show)),
        r(Method::GET, "/c/{coop}/payroll/accounts/export/{format}", Perm(P::ActivityRead), get(pages::payroll::overview::export)),
        r(Method::GET, "/c/{coop}/payroll/months", Perm(P::PayrollManage), get(pages::payroll::months::list)),
        r(Method::POST, "/c/{coop}/payroll/months", Perm(P::PayrollManage), post(pages::payroll::months::go)),
        r(Method::GET, "/c/{coop}/payroll/months/{month}", Perm(P::PayrollManage), get(pages::payroll::months::show)),
        r(Method::POST, "/c/{coop}/payroll/months/{month}/people/{user}", Perm(P::PayrollManage), post(pages::payroll::months::save_person)),
        r(Method::POST, "/c/{coop}/payroll/months/{month}/lock", Perm(P::PayrollManage), post(pages::payroll::months::lock)),
        r(Method::GET, "/c/{coop}/payroll/months/{month}/export/{format}", Perm(P::PayrollManage), get(pages::payroll::months::export)),
        r(Method::POST, "/c/{coop}/payroll/months/{month}/payslips", Perm(P::PayrollManage), post(pages::payroll::months::import)),
        r(Method::GET, "/c/{coop}/expenses", Perm(P::ExpenseRead), get(pages::spending::expenses)),
        r(Method::POST, "/c/{coop}/expenses", Perm(P::ExpenseManage), post(pages::spending::open_month)),
        r(Method::POST, "/c/{coop}/expenses/payee", Perm(P::ExpenseManage), post(pages::spending::save_payee)),
        r(Method::GET, "/c/{coop}/expenses/mileage", Perm(P::ExpenseRead), get(pages::spending::expenses_mileage)),
        r(Method::GET, "/c/{coop}/expenses/export/{format}", Perm(P::ExpenseRead), get(pages::spending::expenses_export)),
        r(Method::GET, "/c/{coop}/expenses/categories", Perm(P::ExpenseValidate), get(pages::spending::expense_categories)),
        r(Method::POST, "/c/{coop}/expenses/categories", Perm(P::ExpenseValidate), post(pages::spending::save_expense_category)),
        r(Method::GET, "/c/{coop}/expenses/{id}", Perm(P::ExpenseRead), get(pages::spending::expense_report)),
        r(Method::POST, "/c/{coop}/expenses/{id}/lines", Perm(P::ExpenseManage), post(pages::spending::add_expense_line)),
        r(Method::GET, "/c/{coop}/expenses/{id}/lines/{line}/receipt", Perm(P::ExpenseRead), get(pages::spending::expense_receipt)),
        r(Method::POST, "/c/{coop}/expenses/{id}/lines/{line}/receipt", Perm(P::ExpenseManage), post(pages::spending::attach_expense_receipt)),
        r(Method::POST, "/c/{coop}/expenses/{id}/lines/{line}/delete", Perm(P::ExpenseManage), post(pages::spending::delete_expense_line)),
        r(Method::POST, "/c/{coop}/expenses/{id}/trips", Perm(P::ExpenseManage), post(pages::spending::add_trip)),
        r(Method::POST, "/c/{coop}/expenses/{id}/trips/{line}/delete", Perm(P::ExpenseManage), post(pages::spending::delete_trip)),
        r(Method::POST, "/c/{coop}/expenses/{id}/submit", Perm(P::ExpenseManage), post(pages::spending::submit_report)),
        r(Method::POST, "/c/{coop}/expenses/{id}/decide", Perm(P::ExpenseValidate), post(pages::spending::decide_report)),
        r(Method::GET, "/c/{coop}/supplier-invoices", Perm(P::ExpenseRead), get(pages::spending::supplier_invoices)),
        r(Method::POST, "/c/{coop}/supplier-invoices", Perm(P::ExpenseManage), post(pages::spending::create_supplier_invoice)),
        r(Method::GET, "/c/{coop}/supplier-invoices/new", Perm(P::ExpenseManage), get(pages::spending::new_supplier_invoice)),
        r(Method::GET, "/c/{coop}/supplier-invoices/export/{format}", Perm(P::ExpenseRead), get(pages::spending::supplier_invoices_export)),
        r(Method::GET, "/c/{coop}/supplier-invoices/{id}", Perm(P::ExpenseRead), get(pages::spending::supplier_invoice)),
        r(Method::GET, "/c/{coop}/supplier-invoices/{id}/file", Perm(P::ExpenseRead), get(pages::spending::supplier_invoice_file)),
        r(Method::POST, "/c/{coop}/supplier-invoices/{id}/approve", Perm(P::ExpenseValidate), post(pages::spending::approve_supplier_invoice)),
        r(Method::POST, "/c/{coop}/supplier-invoices/{id}/delete", Perm(P::ExpenseManage), post(pages::spending::delete_supplier_invoice)),
        r(Method::POST, "/c/{coop}/supplier-invoices/{id}/payments", Perm(P::ExpensePay), post(pages::spending::pay_supplier_invoice)),
        r(Method::GET, "/c/{coop}/payments", Perm(P::ExpensePay), get(pages::spending::payments)),
        r(Method::POST, "/c/{coop}/payments", Perm(P::ExpensePay), post(pages::spending::prepare_batch)),
        r(Method::GET, "/c/{coop}/payments/{id}", Perm(P::ExpensePay), get(pages::spending::payment_batch)),
        r(Method::GET, "/c/{coop}/payments/{id}/file", Perm(P::ExpensePay), get(pages::spending::payment_batch_file)),
        r(Method::POST, "/c/{coop}/payments/{id}/confirm", Perm(P::ExpensePay), post(pages::spending::confirm_batch)),
        r(Method::POST, "/c/{coop}/payments/{id}/cancel", Perm(P::ExpensePay), post(pages::spending::cancel_batch)),
        r(Method::GET, "/c/{coop}/books", Perm(P::BooksRead), get(pages::books::home)),
        r(Method::POST, "/c/{coop}/books/close-month", Perm(P::BooksClose), post(pages::books::close_month)),
        r(Method::POST, "/c/{coop}/books/close-year", Perm(P::BooksClose), post(pages::books::close_year)),
        r(Method::GET, "/c/{coop}/books/fec", Perm(P::BooksRead), get(pages::books::fec)),
        r(Method::GET, "/c/{coop}/books/journal-export", Perm(P::BooksRead), get(pages::books::journal_export)),
        r(Method::GET, "/c/{coop}/books/balance", Perm(P::BooksRead), get(pages::books::balance)),
        r(Method::GET, "/c/{coop}/books/balance/export/{format}", Perm(P::BooksRead), get(pages::books::balance_export)),
        r(Method::GET, "/c/{coop}/books/ledger/{account}", Perm(P::BooksRead), get(pages::books::ledger)),
        r(Method::GET, "/c/{coop}/books/ledger/{account}/export/{format}", Perm(P::BooksRead), get(pages::books::ledger_export)),
        r(Method::GET, "/c/{coop}/books/entries", Perm(P::BooksRead), get(pages::books::entries)),
        r(Method::POST, "/c/{coop}/books/entries", Perm(P::BooksManage), post(pages::books::create_entry)),
        r(Method::GET, "/c/{coop}/books/entries/export/{format}", Perm(P::BooksRead), get(pages::books::entries_export)),
        r(Method::GET, "/c/{coop}/books/entries/new", Perm(P::BooksManage), get(pages::books::new_entry)),
        r(Method::GET, "/c/{coop}/books/entries/{id}", Perm(P::BooksRead), get(pages::books::entry)),
        r(Method::GET, "/c/{coop}/books/entries/{id}/edit", Perm(P::BooksManage), get(pages::books::edit_entry)),
        r(Method::POST, "/c/{coop}/books/entries/{id}/edit", Perm(P::BooksManage), post(pages::books::update_entry)),
        r(Method::POST, "/c/{coop}/books/entries/{id}/validate", Perm(P::BooksManage), post(pages::books::validate_entry)),
        r(Method::POST, "/c/{coop}/books/entries/{id}/delete", Perm(P::BooksManage), post(pages::books::delete_entry)),
        r(Method::GET, "/c/{coop}/books/analytic", Perm(P::BooksRead), get(pages::books::analytic)),
        r(Method::GET, "/c/{coop}/books/analytic/export/{format}", Perm(P::BooksRead), get(pages::books::analytic_export)),
        r(Method::GET, "/c/{coop}/books/vat", Perm(P::BooksRead), get(pages::books::vat)),
        r(Method::GET, "/c/{coop}/books/vat/export/{format}", Perm(P::BooksRead), get(pages::books::vat_export)),
        r(Method::GET, "/c/{coop}/books/chart", Perm(P::BooksRead), get(pages::books::chart)),
        r(Method::POST, "/c/{coop}/books/chart/accounts", Perm(P::BooksManage), post(pages::books::save_account)),
        r(Method::POST, "/c/{coop}/books/chart/journals", Perm(P::BooksManage), post(pages::books::save_journal)),
        r(Method::GET, "/c/{coop}/books/bank", Perm(P::BooksRead), get(pages::books::bank_home)),
        r(Method::POST, "/c/{coop}/books/bank/import", Perm(P::BooksManage), post(pages::books::bank_import)),
        r(Method::POST, "/c/{coop}/books/bank/confirm", Perm(P::BooksManage), post(pages::books::bank_confirm)),
        r(Method::POST, "/c/{coop}/books/bank/lines/{id}/book", Perm(P::BooksManage), post(pages::books::bank_book)),
        r(Method::POST, "/c/{coop}/books/bank/mapping", Perm(P::BooksManage), post(pages::books::bank_mapping)),
        r(Method::POST, "/c/{coop}/sales/{id}/email", Member, post(pages::sales::email)),
        r(Method::POST, "/c/{coop}/settings/mail-templates/{kind}", Perm(P::CooperativeSettings), post(pages::customers::save_mail_template)),
        r(Method::GET, "/c/{coop}/sales/{id}/download/{format}", Perm(P::SaleRead), get(pages::sales::file)),
        r(Method::GET, "/c/{coop}/archives", Perm(P::SaleRead), get(pages::sales::archives)),
        r(Method::POST, "/c/{coop}/archives", Perm(P::SaleRead), post(pages::sales::request_archive)),
        r(Method::GET, "/c/{coop}/archives/{id}", Perm(P::SaleRead), get(pages::sales::archive)),
        r(Method::GET, "/c/{coop}/archives/{id}/status", Perm(P::SaleRead), get(pages::sales::archive_status)),
        r(Method::GET, "/c/{coop}/archives/{id}/download", Perm(P::SaleRead), get(pages::sales::archive_download)),
        r(Method::GET, "/q/{token}", Public, get(pages::sales::public_quote)),
        r(Method::POST, "/q/{token}", Public, post(pages::sales::public_answer)),
        r(Method::GET, "/c/{coop}/customers", Perm(P::SaleRead), get(pages::customers::list)),
        r(Method::POST, "/c/{coop}/customers", Perm(P::SaleManage), post(pages::customers::create)),
        r(Method::GET, "/c/{coop}/customers/new", Perm(P::SaleManage), get(pages::customers::new)),
        r(Method::GET, "/c/{coop}/customers/{id}", Perm(P::SaleRead), get(pages::customers::show)),
        r(Method::POST, "/c/{coop}/customers/{id}", Perm(P::SaleManage), post(pages::customers::update)),
        r(Method::POST, "/c/{coop}/customers/{id}/directory", Perm(P::SaleRead), post(pages::customers::check_directory)),
        r(Method::GET, "/c/{coop}/activities/{id}/catalog", Perm(P::SaleRead), get(pages::customers::catalog)),
        r(Method::POST, "/c/{coop}/activities/{id}/catalog", Perm(P::SaleManage), post(pages::customers::add_item)),
        r(Method::GET, "/c/{coop}/catalog/{id}", Perm(P::SaleRead), get(pages::customers::item)),
        r(Method::POST, "/c/{coop}/catalog/{id}", Perm(P::SaleManage), post(pages::customers::update_item)),
        r(Method::GET, "/c/{coop}/received-invoices", Perm(P::ExpenseRead), get(pages::spending::received_invoices)),
        r(Method::GET, "/c/{coop}/received-invoices/{id}", Perm(P::ExpenseRead), get(pages::spending::received_invoice)),
        r(Method::GET, "/c/{coop}/received-invoices/{id}/file", Perm(P::ExpenseRead), get(pages::spending::received_invoice_file)),
        r(Method::POST, "/c/{coop}/received-invoices/{id}/assign", Perm(P::ExpenseValidate), post(pages::spending::assign_received_invoice)),
        r(Method::POST, "/c/{coop}/received-invoices/{id}/answer", Perm(P::ExpenseRead), post(pages::spending::answer_received_invoice)),
        r(Method::GET, "/c/{coop}/settings/einvoicing", Perm(P::CooperativeSettings), get(pages::einvoicing::settings)),
        r(Method::POST, "/c/{coop}/settings/einvoicing", Perm(P::CooperativeSettings), post(pages::einvoicing::save)),
        r(Method::POST, "/c/{coop}/settings/einvoicing/test", Perm(P::CooperativeSettings), post(pages::einvoicing::test)),
        r(Method::POST, "/c/{coop}/settings/einvoicing/callback", Perm(P::CooperativeSettings), post(pages::einvoicing::create_callback)),
        r(Method::POST, "/c/{coop}/settings/einvoicing/callback/revoke", Perm(P::CooperativeSettings), post(pages::einvoicing::revoke_callback)),
        r(Method::GET, "/c/{coop}/settings/payroll", Perm(P::CooperativeSettings), get(pages::payroll::settings)),
        r(Method::POST, "/c/{coop}/settings/payroll", Perm(P::CooperativeSettings), post(pages::payroll::save_settings)),
        r(Method::GET, "/c/{coop}/settings/contribution", Perm(P::CooperativeSettings), get(pages::payroll::contribution::settings)),
        r(Method::POST, "/c/{coop}/settings/contribution", Perm(P::CooperativeSettings), post(pages::payroll::contribution::add)),
        r(Method::POST, "/c/{coop}/settings/contribution/planner", Perm(P::CooperativeSettings), post(pages::payroll::contribution::save_planner)),
        r(Method::POST, "/c/{coop}/settings/contribution/{id}/delete", Perm(P::CooperativeSettings), post(pages::payroll::contribution::remove)),
        r(Method::GET, "/c/{coop}/settings/selling", Perm(P::CooperativeSettings), get(pages::customers::settings)),
        r(Method::POST, "/c/{coop}/settings/selling", Perm(P::CooperativeSettings), post(pages::customers::save_settings)),
        r(Method::POST, "/c/{coop}/settings/ceilings", Perm(P::CooperativeSettings), post(pages::customers::set_ceiling)),
        r(Method::GET, "/api/v1/openapi.json", Public, get(api::openapi_json)),
        r(Method::GET, "/api/v1/me", SignedIn, get(api::me)),
        r(Method::POST, "/api/v1/payroll/simulations", SignedIn, post(api::payroll::simulate)),
        r(Method::GET, "/api/v1/cooperatives", SignedIn, get(api::my_cooperatives)),
        r(Method::POST, "/api/v1/cooperatives", HostAdmin, post(api::create_cooperative)),
        r(Method::GET, "/api/v1/cooperatives/{coop}", Member, get(api::cooperative)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/members", Perm(P::MemberRead), get(api::members)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/members", Perm(P::MemberManage), post(api::add_member)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/audit", Perm(P::AuditRead), get(api::audit)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/jobs", Perm(P::JobManage), get(api::jobs)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/people", Perm(P::PersonRead), get(api::people_list)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/people", Perm(P::PersonManage), post(api::create_person)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/people/{id}", Member, get(api::person)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/people/{id}/events", Perm(P::PersonManage), post(api::record_event)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/deadlines", Perm(P::PersonRead), get(api::deadlines)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/activities", Perm(P::ActivityRead), get(api::activities)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/activities/{id}", Perm(P::ActivityRead), get(api::activity)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/activities/{id}/account", Perm(P::ActivityRead), get(api::payroll::account)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/directory", Member, get(api::directory)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/appointments", Member, get(api::coaching::appointments)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/appointments", Perm(P::CoachingManage), post(api::coaching::create_appointment)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/appointments/{id}", Member, get(api::coaching::appointment)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/workshops", Member, get(api::coaching::workshops_list)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/workshops/{id}/registrations", Member, post(api::coaching::register)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/customers", Perm(P::SaleRead), get(api::sales::customers)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/customers", Perm(P::SaleManage), post(api::sales::create_customer)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/customers/{id}", Perm(P::SaleRead), get(api::sales::customer)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/quotes", Perm(P::SaleRead), get(api::sales::quotes)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/quotes", Perm(P::SaleManage), post(api::sales::create_quote)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/invoices", Perm(P::SaleRead), get(api::sales::invoices)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/invoices", Perm(P::SaleManage), post(api::sales::create_invoice)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/sales/{id}", Perm(P::SaleRead), get(api::sales::show)),
        r(Method::PUT, "/api/v1/cooperatives/{coop}/sales/{id}", Perm(P::SaleManage), axum::routing::put(api::sales::update)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/sales/{id}", Perm(P::SaleManage), post(api::sales::update)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/sales/{id}/validate", Member, post(api::sales::validate)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/sales/{id}/review/ask", Member, post(api::sales::ask_review)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/sales/{id}/review/return", Member, post(api::sales::return_review)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/sales/{id}/payments", Perm(P::PaymentRecord), post(api::sales::record_payment)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/sales/{id}/pdf", Perm(P::SaleRead), get(api::sales::pdf)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/sales/{id}/xml", Perm(P::SaleRead), get(api::sales::xml)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/sales/{id}/einvoice", Perm(P::SaleRead), get(api::sales::einvoice)),
        r(Method::POST, "/api/v1/einvoicing/callbacks/{coop}", Public, post(api::einvoicing::callback)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/expense-reports", Perm(P::ExpenseRead), get(api::spending::expense_reports)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/expense-reports", Perm(P::ExpenseManage), post(api::spending::open_report)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/expense-reports/{id}", Perm(P::ExpenseRead), get(api::spending::expense_report)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/expense-reports/{id}/lines", Perm(P::ExpenseManage), post(api::spending::add_expense)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/expense-reports/{id}/lines/{line}/receipt", Perm(P::ExpenseManage), post(api::spending::attach_receipt)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/expense-reports/{id}/trips", Perm(P::ExpenseManage), post(api::spending::add_trip)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/expense-reports/{id}/submit", Perm(P::ExpenseManage), post(api::spending::submit_report)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/supplier-invoices", Perm(P::ExpenseRead), get(api::spending::supplier_invoices)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/supplier-invoices", Perm(P::ExpenseManage), post(api::spending::create_supplier_invoice)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/supplier-invoices/{id}", Perm(P::ExpenseRead), get(api::spending::supplier_invoice)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/books/balance", Perm(P::BooksRead), get(api::books::balance)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/books/entries", Perm(P::BooksRead), get(api::books::entries)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/books/entries/{id}", Perm(P::BooksRead), get(api::books::entry)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/books/fec", Perm(P::BooksRead), get(api::books::fec)),
        r(Method::GET, "/api/v1/cooperatives/{coop}/books/journal", Perm(P::BooksRead), get(api::books::journal)),
        r(Method::POST, "/api/v1/cooperatives/{coop}/books/bank/imports", Perm(P::BooksManage), post(api::books::import_bank)),
    ]
}

/// Every route and its declared access (read by the permission-matrix test and the docs).
pub fn route_specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(s, _)| s).collect()
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (spec, mr) in table() {
        let access = spec.access;
        let guarded = mr.route_layer(from_fn_with_state(
            state.clone(),
            move |s: State<AppState>, req: Request, next: Next| guard(s, access, req, next),
        ));
        router = router.route(spec.path, guarded);
    }
    router
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), security::context))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            security::MAX_FORM_BYTES + 64 * 1024,
        ))
        // Extractors (Multipart, Form) read up to the same limit instead of axum's 2 MB default.
        .layer(axum::extract::DefaultBodyLimit::max(
            security::MAX_FORM_BYTES + 64 * 1024,
        ))
        .with_state(state)
}

async fn not_found(req: Request) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    if is_api {
        return ApiError(AppError::NotFound("route")).into_response();
    }
    let (parts, _) = req.into_parts();
    error_page(
        &AppError::NotFound("page"),
        layout_of(parts.uri.path(), &parts.extensions).await,
    )
}

/// Enforces a route's declared access, and for cooperative routes puts the person's
/// [`essaim_app::CoopActor`] in the request. It also renders the error page of a page handler
/// that answered a [`PageError`] (with the layout of the request as the handler saw it).
async fn guard(
    State(state): State<AppState>,
    access: Access,
    req: Request,
    next: Next,
) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let (mut parts, body) = req.into_parts();
    if let Err(error) = admit(&state, access, is_api, &mut parts).await {
        if is_api {
            return ApiError(error).into_response();
        }
        if matches!(error, AppError::Unauthenticated) {
            let to = if parts.method == Method::GET {
                format!("/login?next={}", crate::paths::urlencode(parts.uri.path()))
            } else {
                "/login".into()
            };
            return Redirect::to(&to).into_response();
        }
        return error_page(&error, layout_of(parts.uri.path(), &parts.extensions).await);
    }
    let seen = (!is_api).then(|| (parts.uri.path().to_owned(), parts.extensions.clone()));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    match (response.extensions_mut().remove::<PageFailure>(), seen) {
        (Some(PageFailure(error)), Some((path, extensions))) => {
            error_page(&error, layout_of(&path, &extensions).await)
        }
        _ => response,
    }
}

/// The layout of a page at `path` with the request's `extensions` (who, which cooperative).
async fn layout_of(path: &str, extensions: &axum::http::Extensions) -> crate::view::Layout {
    let mut p = axum::http::Request::new(()).into_parts().0;
    p.extensions = extensions.clone();
    p.uri = path.parse().unwrap_or_default();
    let Ok(page) = Page::from_request_parts(&mut p, &()).await;
    page.layout
}

/// Checks the declared access; puts the cooperative actor (and its logo) in the request.
async fn admit(
    state: &AppState,
    access: Access,
    is_api: bool,
    parts: &mut axum::http::request::Parts,
) -> Result<(), AppError> {
    if access == Access::Public {
        return Ok(());
    }
    let ctx = parts
        .extensions
        .get::<security::RequestContext>()
        .cloned()
        .unwrap_or_default();
    let actor = ctx.actor.ok_or(AppError::Unauthenticated)?;
    match access {
        Access::Public | Access::SignedIn => {}
        Access::HostAdmin => {
            if !actor.user.is_host_admin {
                return Err(AppError::Forbidden);
            }
        }
        Access::Member | Access::Perm(_) | Access::AnyOf(_) => {
            let params = RawPathParams::from_request_parts(parts, state).await;
            let slug = params
                .ok()
                .and_then(|p| {
                    p.iter()
                        .find(|(k, _)| *k == "coop")
                        .map(|(_, v)| v.to_owned())
                })
                .ok_or_else(|| AppError::Internal("a cooperative route without {coop}".into()))?;
            let coop = cooperatives::enter(&state.app, &actor, &slug).await?;
            let refused = match access {
                Access::Perm(p) => !coop.access.has_any(p),
                Access::AnyOf(ps) => !ps.iter().any(|p| coop.access.has_any(*p)),
                _ => false,
            };
            if refused {
                parts.extensions.insert(coop);
                return Err(AppError::Forbidden);
            }
            if !is_api {
                let (logo, training) = cooperatives::page_facts(&state.app, &coop)
                    .await
                    .unwrap_or_default();
                parts.extensions.insert(PageFacts { logo, training });
            }
            parts.extensions.insert(coop);
        }
    }
    Ok(())
}
