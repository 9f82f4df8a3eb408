-- Payroll (issue 6): the cooperative's own payroll assumptions for the salary simulator (PostgreSQL).
-- Rates are decimal fractions as text (`0.0208`); amounts in euros as text.
create table payroll_settings (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    headcount bigint not null,
    atmp_rate text not null,
    mobility_rate text not null,
    health_insurance text not null,
    health_insurance_employer_share text not null,
    updated_at timestamptz not null
);
