-- Documents attached to a person or an activity; the bytes live on disk by content hash (SQLite).
create table document (
    document_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    person_id bigint references person (person_id),
    activity_id bigint references activity (activity_id),
    kind text not null,
    title text not null,
    filename text not null,
    content_type text not null,
    sha256 text not null,
    size_bytes bigint not null,
    expires_on date,
    uploaded_by bigint references user_account (user_id),
    uploaded_at timestamp not null
);
create index document_person on document (person_id);
create index document_activity on document (activity_id);
create index document_expiry on document (cooperative_id, expires_on);
