-- The cooperative's connection to its approved e-invoicing platform (issue 20, EIN-03; postgres):
-- the services' addresses, the OAuth2 client, the client secret sealed with the server's key
-- (XChaCha20-Poly1305: nonce and sealed bytes; never stored or shown in clear), the syntax of
-- deposits, and whether it is the demo's conformance platform.
create table pa_connection (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    flow_url text not null,
    directory_url text not null,
    token_url text not null,
    client_id text not null,
    secret_nonce bytea not null,
    secret_sealed bytea not null,
    syntax text not null,
    demo boolean not null,
    updated_by bigint references user_account (user_id),
    updated_at timestamptz not null
);

-- The last exchanges with the platform and their outcome, shown on the settings page.
create table pa_exchange (
    pa_exchange_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    at timestamptz not null,
    operation text not null,
    ok boolean not null,
    detail text not null
);
create index pa_exchange_recent on pa_exchange (cooperative_id, at);
