-- The operator's switch for all outgoing reminder mail, shared by every instance: planning goes on while it is
-- paused, and what fell due goes out on resume (never after its deadline).
create table sending_state (
    id         integer not null,
    paused     boolean not null,
    changed_at timestamp with time zone not null,
    constraint pk_sending_state primary key (id)
);
insert into sending_state (id, paused, changed_at) values (1, false, current_timestamp);

-- The approval gate: a revision whose audience (active matching subscribers when it arrived) exceeds the threshold
-- is not planned until an operator approves it.
alter table policy_change add column audience bigint;
alter table policy_change add column awaiting_approval boolean default false not null;
