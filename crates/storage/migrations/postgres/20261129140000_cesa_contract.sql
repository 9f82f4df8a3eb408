-- CESA contracts: every version (the signed one, then each amendment), never edited (PostgreSQL).
create table cesa_contract_version (
    cesa_contract_version_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    person_id bigint not null references person (person_id),
    version_no bigint not null,
    effective_on date not null,
    summary text not null,
    objectives text not null,
    support text not null,
    contribution_rate text not null,
    contribution_base text not null,
    fixed_monthly_gross_cents bigint not null,
    currency text not null,
    variable_method text not null,
    statutes_reference text not null,
    guarantees text not null,
    associate_procedure text not null,
    recorded_at timestamptz not null,
    recorded_by bigint references user_account (user_id),
    unique (person_id, version_no)
);
