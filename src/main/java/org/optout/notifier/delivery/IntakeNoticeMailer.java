package org.optout.notifier.delivery;

import io.quarkus.logging.Log;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.policy.PolicyChangeAccepted;

/**
 * Tells an operator's address that a policy change was stored, when {@code notifier.intake-notice-to} is set. Sent
 * only after the transaction committed and without waiting for the mail server: a slow one must not hold the
 * consumer. A notice that fails is logged, not retried: the change itself is safely stored.
 */
@ApplicationScoped
public class IntakeNoticeMailer {

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance intakeNotice(PolicyChangeAccepted change, String baseUrl);
    }

    private final NotifierConfig config;

    IntakeNoticeMailer(NotifierConfig config) {
        this.config = config;
    }

    void onAccepted(@Observes(during = TransactionPhase.AFTER_SUCCESS) PolicyChangeAccepted change) {
        config.intakeNoticeTo().ifPresent(operators -> send(change, operators));
    }

    private void send(PolicyChangeAccepted change, String operators) {
        Templates.intakeNotice(change, config.baseUrl())
                .to(operators)
                .subject("Policy change received: " + change.title())
                .send()
                .subscribe().with(
                        sent -> Log.infof("Intake notice for %s revision %d sent", change.changeId(), change.revision()),
                        failure -> Log.errorf(failure, "Intake notice for %s not sent", change.changeId()));
    }
}
