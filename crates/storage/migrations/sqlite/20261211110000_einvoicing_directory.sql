-- What the directory of e-invoicing said of a customer (issue 20, EIN-41; sqlite): per cooperative,
-- company (SIREN) and establishment (SIRET, empty for the company itself), whether a platform
-- receives its invoices and at which electronic address, and when it was asked.
create table pa_directory (
    cooperative_id bigint not null references cooperative (cooperative_id),
    siren text not null,
    siret text not null,
    state text not null,
    address text,
    public_entity boolean not null,
    checked_at timestamp not null,
    primary key (cooperative_id, siren, siret)
);
