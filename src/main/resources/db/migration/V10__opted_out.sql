-- "I have already opted out" of one change, as the subscriber said it: kept apart from the reminders so that
-- re-planning (a re-subscription, a new confirmation, new preferences) never brings that change back, whether or not
-- reminders were pending when they said it. Opt-outs said before this table existed are not known here.
create table opted_out (
    subscription_id bigint not null,
    change_id       varchar(100) not null,
    opted_out_at    timestamp with time zone not null,
    constraint pk_opted_out primary key (subscription_id, change_id),
    constraint fk_opted_out_subscription foreign key (subscription_id)
        references subscription (id) on delete cascade
);
