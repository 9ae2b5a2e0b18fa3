package org.optout.notifier.subscription;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.mail.internet.MimeMessage;

/** Steps that many subscription tests go through: sign up, read the mail, confirm. */
final class SubscriptionFlows {

    static final String CONFIRM_SUBJECT = "Confirm your opt-out deadline reminders";

    private SubscriptionFlows() {
    }

    static void signUp(String email) {
        Clients.fromNewIp().body(Clients.signUpBody(email)).post("/api/subscriptions").then().statusCode(202);
    }

    /**
     * Waits until no request for {@code email} is queued. A request leaves the queue in the transaction that answers
     * it, after the SMTP server accepted its mail.
     */
    static void awaitAnswered(String email) throws InterruptedException {
        long deadline = System.nanoTime() + Mailbox.WAIT.toNanos();
        while (QuarkusTransaction.requiringNew().call(() -> ReceivedRequest.count("details.email", email)) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("request for " + email + " still queued");
            }
            Thread.sleep(50);
        }
    }

    static String confirmationToken(String email) throws Exception {
        MimeMessage mail = Mailbox.awaitOne(email, CONFIRM_SUBJECT);
        return Mailbox.linkToken(mail, "confirm");
    }

    /** Signs up and confirms {@code email}; returns the manage token. */
    static String activeSubscriber(String email) throws Exception {
        signUp(email);
        String token = confirmationToken(email);
        return Clients.fromNewIp().post("/api/confirmations/" + token).then().statusCode(200)
                .body("subscription.status", equalTo("ACTIVE"))
                .extract().path("manageToken");
    }
}
