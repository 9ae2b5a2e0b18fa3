-- The replicas that send, each with its last heartbeat: the relay's quota (notifier.delivery.max-mails-per-second) is
-- the account's, so each replica sends the quota divided by the replicas seen recently (delivery.SendingBudget).
create table sending_replica (
    id      varchar(36) not null,
    seen_at timestamp with time zone not null,
    constraint pk_sending_replica primary key (id)
);
