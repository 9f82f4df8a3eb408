-- The directory: each member's profile in a cooperative, private unless listed (SQLite).
create table directory_profile (
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    headline text,
    offer text,
    tags text not null,
    territory text,
    naf text,
    phone text,
    listed boolean not null,
    show_email boolean not null,
    show_phone boolean not null,
    search_text text not null,
    updated_at timestamp not null,
    primary key (cooperative_id, user_id)
);
create index directory_profile_listed on directory_profile (cooperative_id, listed);
