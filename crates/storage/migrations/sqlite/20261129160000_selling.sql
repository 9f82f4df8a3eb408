-- Selling: customers, catalogue, quotes, invoices, credit notes, payments (issue 4) (SQLite).

create table selling_settings (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    invoice_template text not null,
    quote_template text not null,
    vat_on_debits boolean not null,
    accent text not null,
    footer text,
    iban text,
    bic text,
    email text,
    phone text
);

create table validation_ceiling (
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    ceiling_cents bigint not null,
    primary key (cooperative_id, user_id)
);

create table customer (
    customer_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    activity_id bigint not null references activity (activity_id),
    shared boolean not null,
    kind text not null,
    name text not null,
    siren text,
    siret text,
    vat_number text,
    electronic_address text,
    email text,
    phone text,
    address_line1 text not null,
    address_line2 text,
    postcode text not null,
    city text not null,
    country text not null,
    delivery_line1 text,
    delivery_line2 text,
    delivery_postcode text,
    delivery_city text,
    delivery_country text,
    payment_days bigint not null,
    payment_end_of_month boolean not null,
    notes text,
    created_at timestamp not null,
    updated_at timestamp not null
);
create index customer_activity on customer (activity_id, name);
create index customer_siren on customer (cooperative_id, siren);

create table catalog_item (
    catalog_item_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    activity_id bigint not null references activity (activity_id),
    label text not null,
    description text,
    unit text not null,
    unit_price text not null,
    vat_code text not null,
    goods boolean not null,
    archived boolean not null,
    created_at timestamp not null
);
create index catalog_item_activity on catalog_item (activity_id, archived, label);

-- One counter row per numbering series (INV-12, STACK.md): incremented in the validating transaction.
create table number_counter (
    cooperative_id bigint not null references cooperative (cooperative_id),
    series text not null,
    last_number bigint not null,
    primary key (cooperative_id, series)
);

create table sale_doc (
    sale_doc_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    activity_id bigint not null references activity (activity_id),
    customer_id bigint not null references customer (customer_id),
    kind text not null,
    state text not null,
    series text,
    seq bigint,
    number text,
    doc_date date not null,
    valid_until date,
    due_date date,
    delivery_date date,
    purchase_order text,
    price_basis text not null,
    overall_discount text,
    notes text,
    payment_days bigint not null,
    payment_end_of_month boolean not null,
    quote_id bigint references sale_doc (sale_doc_id),
    origin_id bigint references sale_doc (sale_doc_id),
    line_total_cents bigint not null,
    allowance_total_cents bigint not null,
    tax_basis_cents bigint not null,
    tax_total_cents bigint not null,
    grand_total_cents bigint not null,
    prepaid_cents bigint not null,
    paid_cents bigint not null,
    credited_cents bigint not null,
    -- What remains to be received on an issued invoice: grand total − paid − credited (0 otherwise).
    outstanding_cents bigint not null,
    -- The payment status of an issued invoice, derived from the amounts like the domain's display
    -- status (issued, partly_paid, paid, cancelled; issued for a credit note; empty otherwise).
    settlement text not null,
    accept_token_hash text,
    accepted_by text,
    accepted_at timestamp,
    created_by bigint not null references user_account (user_id),
    created_at timestamp not null,
    updated_at timestamp not null,
    validated_by bigint references user_account (user_id),
    validated_at timestamp,
    unique (cooperative_id, series, seq)
);
-- Lists read these indexes in date order (the cooperative's, an activity's); totals read the
-- narrow one (kind, then dates, then the figures summed).
create index sale_doc_list on sale_doc (cooperative_id, doc_date, sale_doc_id, kind, state, settlement, activity_id,
    customer_id, grand_total_cents, due_date, valid_until);
create index sale_doc_activity on sale_doc (activity_id, doc_date, sale_doc_id, kind, state, settlement, customer_id,
    grand_total_cents, due_date, valid_until);
create index sale_doc_totals on sale_doc (cooperative_id, kind, doc_date, state, settlement, grand_total_cents,
    tax_basis_cents, outstanding_cents, activity_id, customer_id, due_date, valid_until);
create index sale_doc_customer on sale_doc (customer_id);
create index sale_doc_quote on sale_doc (quote_id);
create index sale_doc_origin on sale_doc (origin_id);
create index sale_doc_due on sale_doc (cooperative_id, state, due_date);

-- What an issued document prints, frozen at validation (GEN-03): kept apart so lists stay light.
create table sale_snapshot (
    sale_doc_id bigint primary key references sale_doc (sale_doc_id),
    snapshot text not null
);

create table sale_line (
    sale_doc_id bigint not null references sale_doc (sale_doc_id),
    position bigint not null,
    kind text not null,
    label text not null,
    description text,
    quantity text,
    unit text,
    unit_price text,
    vat_code text,
    discount text,
    goods boolean not null,
    deduction boolean not null,
    unit_price_ht text,
    gross_cents bigint,
    allowance_cents bigint,
    net_cents bigint,
    primary key (sale_doc_id, position)
);

-- What a document owes per VAT rate, frozen at validation; payments draw on it (INV-41).
create table sale_vat (
    sale_doc_id bigint not null references sale_doc (sale_doc_id),
    vat_code text not null,
    basis_cents bigint not null,
    vat_cents bigint not null,
    primary key (sale_doc_id, vat_code)
);

create table payment (
    payment_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    sale_doc_id bigint not null references sale_doc (sale_doc_id),
    paid_on date not null,
    amount_cents bigint not null,
    mode text not null,
    reference text,
    recorded_by bigint not null references user_account (user_id),
    recorded_at timestamp not null
);
create index payment_doc on payment (sale_doc_id);

create table payment_vat (
    payment_id bigint not null references payment (payment_id),
    vat_code text not null,
    ttc_cents bigint not null,
    vat_cents bigint not null,
    primary key (payment_id, vat_code)
);

-- What happened to a document: created, sent by e-mail, validated, accepted... (issue 4, point 8).
create table sale_event (
    sale_event_id integer primary key,
    sale_doc_id bigint not null references sale_doc (sale_doc_id),
    at timestamp not null,
    kind text not null,
    user_id bigint references user_account (user_id),
    detail text
);
create index sale_event_doc on sale_event (sale_doc_id, at);

-- Roles of existing cooperatives receive the new permissions their kind has by default.
insert into role_grant (role_id, permission, scope)
    select role_id, 'sale.read', 'cooperative' from role where kind in ('administrator', 'validation', 'accounting', 'payroll')
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, p.code, 'cooperative' from role, (select 'sale.manage' as code union all select 'invoice.validate') p where kind = 'administrator'
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, 'invoice.validate', 'cooperative' from role where kind = 'validation'
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, 'payment.record', 'cooperative' from role where kind in ('administrator', 'validation', 'accounting')
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, p.code, 'own_activities' from role, (select 'sale.read' as code union all select 'sale.manage') p where kind = 'entrepreneur'
    on conflict (role_id, permission) do nothing;
