-- The invoices suppliers send the cooperative through its platform (issue 20, EIN-40; postgres).
-- One row per flow received, kept once however often it is fetched (the platform's flow id is
-- unique per cooperative); the file is kept unchanged, by its hash, as the legal original; what
-- could be read of it is kept beside it for the lists, with the reason when it could not.
create table pa_received (
    pa_received_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    flow_id text not null,
    name text not null,
    syntax text not null,
    received_at timestamptz not null,
    fetched_at timestamptz not null,
    file_sha256 text not null,
    file_size bigint not null,
    content_type text not null,
    state text not null,
    problem text not null,
    routing_code text,
    activity_id bigint references activity (activity_id),
    supplier_name text not null,
    supplier_siren text,
    number text not null,
    type_code text not null,
    issue_date date,
    due_date date,
    currency text not null,
    net_cents bigint not null,
    vat_cents bigint not null,
    total_cents bigint not null,
    supplier_invoice_id bigint,
    updated_at timestamptz not null
);
create unique index pa_received_flow on pa_received (cooperative_id, flow_id);
create index pa_received_state on pa_received (cooperative_id, state);
create index pa_received_activity on pa_received (activity_id);

-- The answers given to a received invoice (204 to 210 with their reason), each sent to the
-- platform as a lifecycle message by a background job; the tracking id makes it sent once.
create table pa_received_answer (
    pa_received_answer_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    pa_received_id bigint not null references pa_received (pa_received_id),
    status integer not null,
    reason_code text,
    reason text,
    by_user_id bigint references user_account (user_id),
    at timestamptz not null,
    tracking_id text not null,
    state text not null,
    flow_id text,
    last_error text not null
);
create unique index pa_received_answer_tracking on pa_received_answer (tracking_id);
create index pa_received_answer_received on pa_received_answer (pa_received_id);
