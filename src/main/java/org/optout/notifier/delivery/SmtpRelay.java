package org.optout.notifier.delivery;

import io.quarkus.mailer.Attachment;
import io.quarkus.mailer.Mail;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hands a mail to the relay through the mail client Quarkus configures ({@code quarkus.mailer.*}: host, TLS, login,
 * DKIM, pool), without the Mutiny layer of its {@code ReactiveMailer}: that layer copies an attachment one byte at a
 * time through an operator wrapped for context propagation, which cost an eighth of the service's CPU at a thousand
 * mails a second (a reminder carries an {@code .ics}). The answer arrives on the client's event loop, carrying no
 * context of the caller (so no transaction of theirs either). {@code quarkus.mailer.mock} and approved recipients are
 * not applied on this path: reminders always go to the relay configured.
 */
@ApplicationScoped
public class SmtpRelay {

    private final MailClient client;
    private final String from;
    private final Optional<String> bounceAddress;

    SmtpRelay(MailClient client, @ConfigProperty(name = "quarkus.mailer.from") String from,
            @ConfigProperty(name = "quarkus.mailer.bounce-address") Optional<String> bounceAddress) {
        this.client = client;
        this.from = from;
        this.bounceAddress = bounceAddress;
    }

    /** Completes when the relay accepted the mail, or exceptionally with why not. */
    public CompletableFuture<Void> send(Mail mail) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        try {
            client.sendMail(message(mail)).onComplete(result -> {
                if (result.succeeded()) {
                    answer.complete(null);
                } else {
                    answer.completeExceptionally(result.cause());
                }
            });
        } catch (RuntimeException e) {
            // A mail the client cannot encode is refused like one the relay refuses.
            answer.completeExceptionally(e);
        }
        return answer;
    }

    private MailMessage message(Mail mail) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        mail.getHeaders().forEach(headers::add);
        if (mail.getReplyTo() != null) {
            headers.add("Reply-To", mail.getReplyTo());
        }
        List<MailAttachment> attachments = new ArrayList<>();
        List<MailAttachment> inline = new ArrayList<>();
        mail.getAttachments().forEach(a -> (a.isInlineAttachment() ? inline : attachments).add(attachment(a)));
        return new MailMessage()
                .setFrom(mail.getFrom() != null ? mail.getFrom() : from)
                .setBounceAddress(mail.getBounceAddress() != null ? mail.getBounceAddress()
                        : bounceAddress.orElse(null))
                .setTo(mail.getTo()).setCc(mail.getCc()).setBcc(mail.getBcc())
                .setSubject(mail.getSubject()).setText(mail.getText()).setHtml(mail.getHtml())
                .setHeaders(headers).setAttachment(attachments).setInlineAttachment(inline);
    }

    private static MailAttachment attachment(Attachment attachment) {
        return MailAttachment.create().setName(attachment.getName()).setContentId(attachment.getContentId())
                .setDescription(attachment.getDescription()).setDisposition(attachment.getDisposition())
                .setContentType(attachment.getContentType()).setData(data(attachment));
    }

    private static Buffer data(Attachment attachment) {
        if (attachment.getFile() != null) {
            try {
                return Buffer.buffer(Files.readAllBytes(attachment.getFile().toPath()));
            } catch (IOException e) {
                throw new UncheckedIOException("The attachment " + attachment.getName() + " could not be read", e);
            }
        }
        return bytes(attachment.getData());
    }

    /** The mailer keeps attachment data as a publisher of bytes; one made from an array emits them at once. */
    private static Buffer bytes(Flow.Publisher<Byte> data) {
        Buffer buffer = Buffer.buffer();
        CompletableFuture<Buffer> read = new CompletableFuture<>();
        data.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Byte b) {
                buffer.appendByte(b);
            }

            @Override
            public void onError(Throwable failure) {
                read.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                read.complete(buffer);
            }
        });
        return read.join();
    }
}
