package org.optout.notifier.delivery;

import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.policy.PolicyChangeAccepted;

/**
 * Tells an operator's address that a policy change was stored, when {@code notifier.intake-notice-to} is set. Sent
 * after the transaction committed, in the background: a slow mail server must not hold the consumer. A notice that
 * fails is logged, not retried: the change itself is safely stored.
 */
@ApplicationScoped
public class IntakeNoticeMailer {

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance intakeNotice(PolicyChangeAccepted change, String baseUrl);
    }

    private final NotifierConfig config;
    private final BackgroundMail mail;

    IntakeNoticeMailer(NotifierConfig config, BackgroundMail mail) {
        this.config = config;
        this.mail = mail;
    }

    void onAccepted(@Observes(during = TransactionPhase.AFTER_SUCCESS) PolicyChangeAccepted change) {
        config.intakeNoticeTo().ifPresent(operators -> send(change, operators));
    }

    private void send(PolicyChangeAccepted change, String operators) {
        mail.send(() -> Templates.intakeNotice(change, config.baseUrl())
                .to(operators)
                .subject("Policy change received: " + change.title()),
                "Intake notice for " + change.changeId() + " revision " + change.revision());
    }
}
