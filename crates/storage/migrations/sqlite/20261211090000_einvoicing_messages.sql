-- The lifecycle messages the cooperative sends about its own invoices (issue 20, EIN-21; sqlite):
-- 212 Encaissée with the amount and the day received, one per payment recorded on an invoice that
-- went out through the platform. Queued with the payment, deposited by a background job as a
-- CDAR flow; its tracking id is fixed when it is queued, so it is never sent twice.
create table pa_message (
    pa_message_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    pa_flow_id bigint not null references pa_flow (pa_flow_id),
    payment_id bigint,
    status integer not null,
    amount_cents bigint,
    collected_on date,
    tracking_id text not null,
    state text not null,
    flow_id text,
    last_error text not null,
    created_at timestamp not null,
    sent_at timestamp,
    updated_at timestamp not null
);
create unique index pa_message_tracking on pa_message (tracking_id);
create index pa_message_flow on pa_message (pa_flow_id);
