-- Every analytic code's running totals per part since its first day (sqlite): what the per-day sums
-- (`analytic_day`) add up to, kept by the same writers in the same transactions. The overview
-- of every activity account reads what each activity invoiced and collected since its start
-- (what remains to collect) from these few rows instead of every day since then.
create table analytic_total (
    cooperative_id bigint not null references cooperative (cooperative_id),
    analytic text not null,
    part text not null,
    cents bigint not null,
    primary key (cooperative_id, analytic, part)
);
insert into analytic_total (cooperative_id, analytic, part, cents)
select cooperative_id, analytic, part, cast(sum(cents) as bigint)
from analytic_day
group by cooperative_id, analytic, part;
