-- Document templates a cooperative edits (Typst source), by kind (PostgreSQL).
create table document_template (
    cooperative_id bigint not null references cooperative (cooperative_id),
    kind text not null,
    source text not null,
    updated_at timestamptz not null,
    primary key (cooperative_id, kind)
);
