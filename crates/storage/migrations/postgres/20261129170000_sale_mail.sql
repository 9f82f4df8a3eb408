-- E-mail templates for quotes, invoices and reminders, per cooperative (issue 4, point 8).
create table sale_mail_template (
    cooperative_id bigint not null references cooperative (cooperative_id),
    kind text not null,
    subject text not null,
    body text not null,
    primary key (cooperative_id, kind)
);
