-- The backlog gauges ask for pending reminders whose planned instant has come, whatever their retries did to
-- next_attempt_at: an outage must make the oldest due reminder older, not reset it with every retry.
create index ix_reminder_backlog on reminder (status, due_at);
