-- Foundation: cooperatives, accounts, roles, sessions, tokens, audit log, jobs (PostgreSQL).
create table cooperative (
    cooperative_id bigint generated always as identity primary key,
    slug text not null unique,
    legal_name text not null,
    trade_name text,
    legal_form text not null,
    siret text not null,
    siren text not null,
    vat_number text not null,
    rcs_city text not null,
    share_capital_cents bigint not null,
    currency text not null,
    address_line1 text not null,
    address_line2 text,
    postcode text not null,
    city text not null,
    country text not null,
    fiscal_year_start_month bigint not null,
    fiscal_year_start_day bigint not null,
    created_at timestamptz not null
);
create unique index cooperative_siret on cooperative (siret);

create table cooperative_logo (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    content_type text not null,
    sha256 text not null,
    bytes bytea not null
);

create table user_account (
    user_id bigint generated always as identity primary key,
    email text not null unique,
    display_name text not null,
    password_hash text not null,
    locale text not null,
    is_host_admin boolean not null,
    created_at timestamptz not null,
    password_changed_at timestamptz not null
);

create table role (
    role_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    kind text not null,
    name text not null,
    unique (cooperative_id, kind)
);

create table role_grant (
    role_id bigint not null references role (role_id),
    permission text not null,
    scope text not null,
    primary key (role_id, permission)
);

create table membership (
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    role_id bigint not null references role (role_id),
    granted_at timestamptz not null,
    primary key (cooperative_id, user_id, role_id)
);
create index membership_user on membership (user_id);

create table user_session (
    session_id bigint generated always as identity primary key,
    token_hash text not null unique,
    user_id bigint not null references user_account (user_id),
    csrf_token text not null,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null,
    ip text not null,
    user_agent text not null,
    revoked_at timestamptz
);
create index user_session_user on user_session (user_id);

create table password_reset (
    token_hash text primary key,
    user_id bigint not null references user_account (user_id),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz
);

create table login_failure (
    login_failure_id bigint generated always as identity primary key,
    email text not null,
    ip text not null,
    at timestamptz not null
);
create index login_failure_email on login_failure (email, at);
create index login_failure_ip on login_failure (ip, at);

create table api_token (
    api_token_id bigint generated always as identity primary key,
    user_id bigint not null references user_account (user_id),
    name text not null,
    token_hash text not null unique,
    prefix text not null,
    created_at timestamptz not null,
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz
);

create table audit_event (
    audit_event_id bigint generated always as identity primary key,
    cooperative_id bigint references cooperative (cooperative_id),
    actor_user_id bigint references user_account (user_id),
    at timestamptz not null,
    action text not null,
    object_type text not null,
    object_id text not null,
    ip text not null,
    detail text not null
);
create index audit_event_coop on audit_event (cooperative_id, audit_event_id);

create table job (
    job_id bigint generated always as identity primary key,
    cooperative_id bigint references cooperative (cooperative_id),
    kind text not null,
    payload text not null,
    status text not null,
    attempts bigint not null,
    max_attempts bigint not null,
    run_at timestamptz not null,
    locked_at timestamptz,
    last_error text,
    created_at timestamptz not null,
    finished_at timestamptz
);
create index job_due on job (status, run_at);
