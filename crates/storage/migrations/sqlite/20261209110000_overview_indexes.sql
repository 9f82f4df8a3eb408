-- The overview of every activity account reads the open fiscal years only (issue 6; sqlite): the
-- per-day sums by date (covering, in the order they are read) and the payments by date.
create index analytic_day_date on analytic_day (cooperative_id, entry_date, analytic, part, cents);
create index payment_date on payment (cooperative_id, paid_on);
