-- The planner asks, per window of subscriber ids, which lead days of a change they already have. Led by change_id
-- alone, the index made that read every reminder of the change so far, so planning a large audience grew with its
-- square; with the subscriber id after it, each window reads only its own rows.
drop index ix_reminder_change;
create index ix_reminder_change on reminder (change_id, subscription_id, lead_day);
