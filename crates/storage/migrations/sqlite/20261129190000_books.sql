-- The cooperative's books (issue 7): chart of accounts, journals, entries and their lines,
-- closed periods, bank statements. Amounts are cents; an entry line has one positive side.

create table books_settings (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    locked_through date
);

create table ledger_account (
    cooperative_id bigint not null references cooperative (cooperative_id),
    number text not null,
    label text not null,
    archived boolean not null,
    primary key (cooperative_id, number)
);

create table journal (
    cooperative_id bigint not null references cooperative (cooperative_id),
    code text not null,
    label text not null,
    role text,
    primary key (cooperative_id, code)
);
create unique index journal_role on journal (cooperative_id, role);

create table fiscal_year_close (
    cooperative_id bigint not null references cooperative (cooperative_id),
    year_start date not null,
    year_end date not null,
    closed_by bigint references user_account (user_id),
    closed_at timestamp not null,
    primary key (cooperative_id, year_start)
);

create table entry (
    entry_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    journal text not null,
    fiscal_year date not null,
    seq bigint,
    number text,
    entry_date date not null,
    piece_ref text not null,
    piece_date date not null,
    label text not null,
    state text not null,
    source_kind text not null,
    source_id bigint,
    created_by bigint references user_account (user_id),
    created_at timestamp not null,
    validated_by bigint references user_account (user_id),
    validated_at timestamp,
    unique (cooperative_id, journal, fiscal_year, seq)
);
create index entry_source on entry (cooperative_id, source_kind, source_id);
create index entry_list on entry (cooperative_id, entry_date, entry_id);
create index entry_journal on entry (cooperative_id, journal, entry_date, entry_id);

create table entry_line (
    entry_id bigint not null references entry (entry_id),
    position bigint not null,
    cooperative_id bigint not null,
    entry_date date not null,
    validated boolean not null,
    account text not null,
    aux_code text,
    aux_label text,
    analytic text,
    label text not null,
    debit_cents bigint not null,
    credit_cents bigint not null,
    -- Lettering of customer lines once an invoice is settled (FEC EcritureLet / DateLet).
    lettering text,
    lettered_on date,
    primary key (entry_id, position)
);
-- Balances of a period: the date range first, then grouped by account (covering).
create index entry_line_balance on entry_line (cooperative_id, validated, entry_date, account, debit_cents, credit_cents);
create index entry_line_account on entry_line (cooperative_id, account, entry_date, entry_id);
create index entry_line_analytic on entry_line (cooperative_id, analytic, entry_date, account, debit_cents, credit_cents);

create table bank_import (
    bank_import_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    file_name text not null,
    format text not null,
    iban text,
    line_count bigint not null,
    duplicate_count bigint not null,
    imported_by bigint references user_account (user_id),
    imported_at timestamp not null
);

create table bank_line (
    bank_line_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    bank_import_id bigint not null references bank_import (bank_import_id),
    booked_on date not null,
    value_on date,
    amount_cents bigint not null,
    label text not null,
    counterparty text,
    reference text,
    bank_ref text,
    fingerprint text not null,
    state text not null,
    entry_id bigint references entry (entry_id),
    sale_doc_id bigint references sale_doc (sale_doc_id),
    payment_id bigint references payment (payment_id),
    unique (cooperative_id, fingerprint)
);
create index bank_line_queue on bank_line (cooperative_id, state, booked_on, bank_line_id);

create table bank_csv_mapping (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    separator text not null,
    encoding text not null,
    skip_rows bigint not null,
    date_column text not null,
    date_format text not null,
    amount_column text,
    debit_column text,
    credit_column text,
    label_column text not null,
    reference_column text,
    decimal_comma boolean not null
);

insert into role_grant (role_id, permission, scope)
    select role_id, p.code, 'cooperative' from role,
        (select 'books.read' as code union all select 'books.manage' union all select 'books.close') p
    where kind in ('administrator', 'accounting')
    on conflict (role_id, permission) do nothing;
