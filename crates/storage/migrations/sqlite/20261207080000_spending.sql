-- Spending (issue 5): expense categories, expense reports with their lines, trips and receipts,
-- the accounts refunds are paid to, suppliers and their invoices, payments, and SEPA transfer
-- batches (SQLite). Amounts in cents; distances in tenths of a kilometre.

create table expense_category (
    category_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    code text not null,
    label text not null,
    account text not null,
    vat_rate text not null,
    archived boolean not null,
    unique (cooperative_id, code)
);

create table payee_account (
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    holder text not null,
    iban text not null,
    bic text,
    updated_at timestamp not null,
    primary key (cooperative_id, user_id)
);

create table transfer_batch (
    batch_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    message_id text not null,
    execution_date date not null,
    transfer_count bigint not null,
    total_cents bigint not null,
    status text not null,
    xml text not null,
    created_by bigint references user_account (user_id),
    created_at timestamp not null,
    closed_by bigint references user_account (user_id),
    closed_at timestamp,
    unique (cooperative_id, message_id)
);

create table expense_report (
    report_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    month text not null,
    status text not null,
    comment text,
    expenses_cents bigint not null,
    mileage_cents bigint not null,
    recoverable_vat_cents bigint not null,
    line_count bigint not null,
    submitted_at timestamp,
    decided_by bigint references user_account (user_id),
    decided_at timestamp,
    entry_id bigint references entry (entry_id),
    batch_id bigint references transfer_batch (batch_id),
    refunded_on date,
    created_at timestamp not null,
    unique (cooperative_id, user_id, month)
);
create index expense_report_month on expense_report (cooperative_id, month, report_id);
create index expense_report_status on expense_report (cooperative_id, status, month, report_id);

create table expense_line (
    line_id integer primary key,
    report_id bigint not null references expense_report (report_id),
    activity_id bigint not null references activity (activity_id),
    spent_on date not null,
    category text not null,
    amount_cents bigint not null,
    vat_cents bigint not null,
    vat_recoverable boolean not null,
    description text not null,
    receipt_sha256 text,
    receipt_type text,
    receipt_name text,
    receipt_size bigint,
    created_at timestamp not null
);
create index expense_line_report on expense_line (report_id);

create table mileage_line (
    line_id integer primary key,
    report_id bigint not null references expense_report (report_id),
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    activity_id bigint not null references activity (activity_id),
    driven_on date not null,
    from_place text not null,
    to_place text not null,
    purpose text not null,
    km_tenths bigint not null,
    vehicle text not null,
    fiscal_power bigint not null,
    electric boolean not null,
    amount_cents bigint not null,
    scale_year bigint not null,
    provisional boolean not null,
    created_at timestamp not null
);
create index mileage_line_report on mileage_line (report_id);
create index mileage_line_person on mileage_line (cooperative_id, user_id, driven_on);

create table supplier (
    supplier_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    name text not null,
    siren text,
    vat_number text,
    iban text,
    bic text,
    created_at timestamp not null
);
create index supplier_name on supplier (cooperative_id, name);
create unique index supplier_siren on supplier (cooperative_id, siren) where siren is not null;

create table supplier_invoice (
    supplier_invoice_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    supplier_id bigint not null references supplier (supplier_id),
    activity_id bigint not null references activity (activity_id),
    category text not null,
    number text not null,
    issue_date date not null,
    due_date date,
    net_cents bigint not null,
    vat_cents bigint not null,
    total_cents bigint not null,
    paid_cents bigint not null,
    description text,
    status text not null,
    source text not null,
    file_sha256 text,
    file_type text,
    file_name text,
    entered_by bigint references user_account (user_id),
    entered_at timestamp not null,
    approved_by bigint references user_account (user_id),
    approved_at timestamp,
    entry_id bigint references entry (entry_id),
    batch_id bigint references transfer_batch (batch_id),
    unique (cooperative_id, supplier_id, number)
);
create index supplier_invoice_status on supplier_invoice (cooperative_id, status, due_date);
create index supplier_invoice_activity on supplier_invoice (activity_id, issue_date);

create table supplier_payment (
    supplier_payment_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    supplier_invoice_id bigint not null references supplier_invoice (supplier_invoice_id),
    paid_on date not null,
    amount_cents bigint not null,
    batch_id bigint references transfer_batch (batch_id),
    entry_id bigint references entry (entry_id),
    recorded_by bigint references user_account (user_id),
    recorded_at timestamp not null
);
create index supplier_payment_invoice on supplier_payment (supplier_invoice_id);

create table transfer_item (
    batch_id bigint not null references transfer_batch (batch_id),
    seq bigint not null,
    report_id bigint references expense_report (report_id),
    supplier_invoice_id bigint references supplier_invoice (supplier_invoice_id),
    payee_name text not null,
    iban text not null,
    bic text,
    amount_cents bigint not null,
    end_to_end_id text not null,
    primary key (batch_id, seq)
);

-- Roles of existing cooperatives receive the spending permissions their kind has by default.
insert into role_grant (role_id, permission, scope)
    select role_id, 'expense.read', 'cooperative' from role where kind in ('administrator', 'validation', 'accounting', 'payroll')
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, 'expense.manage', 'cooperative' from role where kind = 'administrator'
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, 'expense.validate', 'cooperative' from role where kind in ('administrator', 'validation')
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, 'expense.pay', 'cooperative' from role where kind in ('administrator', 'accounting')
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, p.code, 'own_activities' from role,
        (select 'expense.read' as code union all select 'expense.manage') p
    where kind = 'entrepreneur'
    on conflict (role_id, permission) do nothing;
