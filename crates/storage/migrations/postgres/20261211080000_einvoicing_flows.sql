-- The e-invoices deposited on the cooperative's platform (issue 20, EIN-03, EIN-20; postgres).
-- One row per deposit of a sale document: queued when the document is validated, deposited once
-- the platform took it (its flow id), failed when the platform refused the deposit itself. The
-- tracking id is Essaim's own identifier of the deposit: a retried or interrupted deposit is
-- found again by it and never deposited twice.
create table pa_flow (
    pa_flow_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    sale_doc_id bigint not null references sale_doc (sale_doc_id),
    tracking_id text not null,
    syntax text not null,
    state text not null,
    flow_id text,
    file_sha256 text,
    last_error text not null,
    created_at timestamptz not null,
    deposited_at timestamptz,
    updated_at timestamptz not null
);
create unique index pa_flow_tracking on pa_flow (tracking_id);
create index pa_flow_doc on pa_flow (cooperative_id, sale_doc_id);
create index pa_flow_platform on pa_flow (cooperative_id, flow_id);

-- The dated lifecycle statuses of each deposit (EIN-20): code, instant, who emitted it, the
-- reason of a refusal or rejection, the amount and date of a 212. `source` is the platform's id
-- of the message that carried it: a message read twice is kept once.
create table pa_status (
    pa_status_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    pa_flow_id bigint not null references pa_flow (pa_flow_id),
    status integer not null,
    at timestamptz not null,
    emitter text not null,
    reason_code text,
    reason text,
    amount_cents bigint,
    collected_on date,
    source text,
    recorded_at timestamptz not null
);
create index pa_status_flow on pa_status (pa_flow_id, at);
create unique index pa_status_source on pa_status (source, status);

-- Where the last search of the platform's flows stopped, per cooperative.
create table pa_sync (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    updated_after text not null,
    synced_at timestamptz not null
);
