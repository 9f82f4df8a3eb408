-- Funding programmes (issue 9, point 6): appointments and workshops are charged to one of the
-- cooperative's programmes (a reference list), for the funders' reports.

alter table appointment add column programme text;
alter table workshop add column programme text;

insert into reference_item (cooperative_id, list, code, label, position, active)
    select cooperative_id, 'funding', 'region', 'Région — accompagnement à la création', 0, true from cooperative where true
    on conflict (cooperative_id, list, code) do nothing;
insert into reference_item (cooperative_id, list, code, label, position, active)
    select cooperative_id, 'funding', 'france_travail', 'France Travail', 1, true from cooperative where true
    on conflict (cooperative_id, list, code) do nothing;
insert into reference_item (cooperative_id, list, code, label, position, active)
    select cooperative_id, 'funding', 'esf', 'Fonds social européen (FSE+)', 2, true from cooperative where true
    on conflict (cooperative_id, list, code) do nothing;
insert into reference_item (cooperative_id, list, code, label, position, active)
    select cooperative_id, 'funding', 'own', 'Fonds propres de la coopérative', 3, true from cooperative where true
    on conflict (cooperative_id, list, code) do nothing;
