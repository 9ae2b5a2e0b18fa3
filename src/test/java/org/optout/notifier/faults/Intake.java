package org.optout.notifier.faults;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Valid events of one scenario and what became of them: policy changes (one revision each) and partner sign-ups (each
 * answered by one confirmation mail), with ids made from the scenario's name and a number.
 */
final class Intake {

    private final String prefix;
    private final Stage stage;
    private final List<Future<RecordMetadata>> sent = new ArrayList<>();
    private int changes;
    private int signUps;

    Intake(String prefix, Stage stage) {
        this.prefix = prefix;
        this.stage = stage;
    }

    void change(Publisher publisher) throws Exception {
        String changeId = prefix + "-change-" + changes++;
        sent.add(publisher.send(Publisher.change(stage.policyChanges(), changeId, 1, changeId + "-r1",
                LocalDate.now().plusDays(60))));
    }

    void signUp(Publisher publisher) throws Exception {
        String email = address(signUps++);
        sent.add(publisher.send(Publisher.signUp(stage.signUps(), email + "-request", email)));
    }

    /** The change published last, which a stale revision can repeat. */
    String lastChangeId() {
        return prefix + "-change-" + (changes - 1);
    }

    String address(int i) {
        return prefix + "-" + i + "@example.org";
    }

    int changes() {
        return changes;
    }

    int signUps() {
        return signUps;
    }

    /** Sends the broker did not acknowledge (the publisher's loss, not the service's). */
    long unacknowledged() {
        return sent.stream().filter(f -> {
            try {
                f.get();
                return false;
            } catch (Exception e) {
                return true;
            }
        }).count();
    }

    long storedChanges() throws Exception {
        return stage.database().count("select count(*) from policy_change where change_id like ?", prefix + "-%");
    }

    long storedRevisions() throws Exception {
        return stage.database().count("select count(*) from policy_change_revision r join policy_change c "
                + "on c.id = r.policy_change_id where c.change_id like ?", prefix + "-%");
    }

    /** Sign-ups whose confirmation is pending: their mail went out (double opt-in). */
    long storedSignUps() throws Exception {
        return stage.database().count("select count(*) from subscription_confirmation where email like ?",
                prefix + "-%");
    }

    /** Whether every change is stored and every sign-up answered by mail. */
    boolean processed(Mailbox mailbox) throws Exception {
        return storedChanges() == changes && storedSignUps() == signUps && answered(mailbox.tally()) == signUps;
    }

    /** Sign-ups that got at least one mail. */
    long answered(Mailbox.Tally tally) {
        long answered = 0;
        for (int i = 0; i < signUps; i++) {
            answered += tally.to(address(i)) > 0 ? 1 : 0;
        }
        return answered;
    }

    /** Events without their effect: changes not stored, sign-ups not stored or never answered. */
    long lost(Mailbox.Tally tally) throws Exception {
        return (changes - storedChanges()) + Math.max(signUps - storedSignUps(), signUps - answered(tally));
    }

    /** Effects more than once: revisions stored twice, confirmation mails beyond the first. */
    long doubled(Mailbox.Tally tally) throws Exception {
        long mails = 0;
        for (int i = 0; i < signUps; i++) {
            mails += Math.max(0, tally.to(address(i)) - 1);
        }
        return Math.max(0, storedRevisions() - changes) + mails;
    }
}
