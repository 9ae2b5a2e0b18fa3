package org.optout.notifier.faults;

import java.time.Duration;

/**
 * How much load and how long a fault: {@code quick} (what CI runs, minutes) or {@code full} (the figures of
 * docs/reliability.md). Each value can be set on its own with a {@code -Dfaults.*} system property.
 *
 * @param crashReminders reminders due when the delivering process is killed twice
 * @param replicaReminders reminders due for three competing instances
 * @param outage how long the database is unreachable
 * @param outageEvents policy changes, and as many sign-ups, published during the database outage
 * @param brokerEvents policy changes and sign-ups together, published across a broker restart
 * @param brokerDown how long the broker stays down
 * @param poisonRecords malformed records, interleaved with as many valid ones
 * @param poisonFlood 3 MB values produced back to back first, half on each topic (a few KiB each on the wire,
 *     compressed; held uncompressed, a hundred filled the service's heap)
 * @param limit how long any scenario may wait for its outcome
 * @param sendPace mails per second each instance may send (0: no limit); quick's 2,000 reminders left in a third of a
 *     second unpaced, before a kill, a pause or a second replica could reach them
 */
record FaultSize(String name, int crashReminders, int replicaReminders, Duration outage, int outageEvents,
        int brokerEvents, Duration brokerDown, int poisonRecords, int poisonFlood, Duration limit, int sendPace) {

    static FaultSize of(String name) {
        FaultSize defaults = switch (name) {
            case "quick" -> new FaultSize(name, 2_000, 2_000, Duration.ofSeconds(60), 40, 500, Duration.ofSeconds(10),
                    150, 200, Duration.ofMinutes(4), 500);
            case "full" -> new FaultSize(name, 20_000, 20_000, Duration.ofMinutes(5), 400, 5_000,
                    Duration.ofSeconds(30), 1_000, 200, Duration.ofMinutes(20), 0);
            default -> throw new IllegalArgumentException("Unknown size " + name + "; known: quick, full");
        };
        return new FaultSize(name,
                Integer.getInteger("faults.crash-reminders", defaults.crashReminders),
                Integer.getInteger("faults.replica-reminders", defaults.replicaReminders),
                Duration.ofSeconds(Integer.getInteger("faults.outage-seconds", (int) defaults.outage.toSeconds())),
                Integer.getInteger("faults.outage-events", defaults.outageEvents),
                Integer.getInteger("faults.broker-events", defaults.brokerEvents),
                Duration.ofSeconds(Integer.getInteger("faults.broker-down-seconds",
                        (int) defaults.brokerDown.toSeconds())),
                Integer.getInteger("faults.poison-records", defaults.poisonRecords),
                Integer.getInteger("faults.poison-flood", defaults.poisonFlood),
                Duration.ofMinutes(Integer.getInteger("faults.limit-minutes", (int) defaults.limit.toMinutes())),
                Integer.getInteger("faults.send-pace", defaults.sendPace));
    }

    String describe() {
        return String.format("crash %,d reminders, replicas %,d, database outage %d s with %,d changes and sign-ups, "
                + "broker restart %,d events (%d s down), poison %,d records after a flood of %,d, "
                + "waits at most %d min%s",
                crashReminders, replicaReminders, outage.toSeconds(), outageEvents, brokerEvents,
                brokerDown.toSeconds(), poisonRecords, poisonFlood, limit.toMinutes(),
                sendPace > 0 ? String.format(", each instance sends at most %,d mails/s", sendPace) : "");
    }
}
