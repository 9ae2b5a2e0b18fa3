package org.optout.baseline;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A Kafka consumer that mails (the mailer), and a scheduled job (the scheduler), as the service has. */
@ApplicationScoped
public class VisitListener {

    @Inject
    ReactiveMailer mailer;

    @Incoming("visits-in")
    public Uni<Void> onVisit(String from) {
        return mailer.send(Mail.withText("owner@baseline.example.org", "A visit", from));
    }

    @Scheduled(every = "1h", delayed = "1h")
    void hourly() {
        // Present so that the scheduler starts; it has nothing to do.
    }
}
