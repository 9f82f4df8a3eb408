-- ZIP archives of the PDFs of a period, built in the background with their progress (issue 4, point 9).
create table sale_export (
    sale_export_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    period_from date not null,
    period_to date not null,
    status text not null,
    done bigint not null,
    total bigint not null,
    sha256 text,
    error text,
    created_at timestamptz not null,
    finished_at timestamptz
);
create index sale_export_user on sale_export (cooperative_id, user_id, created_at);
