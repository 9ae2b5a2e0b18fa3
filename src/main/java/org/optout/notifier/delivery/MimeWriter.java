package org.optout.notifier.delivery;

import io.quarkus.mailer.Attachment;
import io.quarkus.mailer.Mail;
import jakarta.activation.DataHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.PreencodedMimeBodyPart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Encodes a {@link Mail} as the relay receives it (Jakarta Mail's MIME writer): the configured sender unless the mail
 * has its own, a Date, every header as given (the Message-ID too), text and HTML as alternatives, attachments and
 * inline parts with their bytes. Each part gets the transfer encoding its content needs: an all-ASCII part with short
 * lines goes as it is (7bit), which is what lets {@link MessageTemplate} fill in a rendering's placeholders afterwards.
 */
@ApplicationScoped
public class MimeWriter {

    /** The Date header as RFC 5322 writes it. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    /** Placeholders of {@link #template}. */
    static final String DATE_PLACEHOLDER = "Date";
    static final String TEXT = "Text";
    private static final Session SESSION = Session.getInstance(new Properties());

    private final String from;

    MimeWriter(@ConfigProperty(name = "quarkus.mailer.from") String from) {
        this.from = from;
    }

    /** The mail, dated now, for its first recipient. */
    public EncodedMail encode(Mail mail) {
        return new EncodedMail(mail.getTo().get(0), bytes(mail, new String(dateNow(), StandardCharsets.US_ASCII),
                false));
    }

    /**
     * The mail as a template for many: its Date and, when {@code textPerMail}, its whole text part are placeholders
     * ({@code Date}, {@code Text}); the text part is then base64, its value encoded for each mail by {@link #base64}:
     * text beyond ASCII cannot carry placeholders through an encoding.
     */
    MessageTemplate template(Mail mail, boolean textPerMail) {
        if (textPerMail) {
            mail.setText(MessageTemplate.placeholder(TEXT));
        }
        return MessageTemplate.of(bytes(mail, MessageTemplate.placeholder(DATE_PLACEHOLDER), textPerMail));
    }

    /** The value of a template's {@code Text} placeholder. */
    static byte[] base64(String text) {
        return Base64.getMimeEncoder().encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of a template's {@code Date} placeholder, for a mail sent now. */
    static byte[] dateNow() {
        return DATE.format(ZonedDateTime.now(ZoneOffset.UTC)).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] bytes(Mail mail, String date, boolean textEncoded) {
        try {
            MimeMessage message = new MimeMessage(SESSION) {
                @Override
                protected void updateMessageID() {
                    // The Message-ID is the mail's own (deterministic, so that a resent mail keeps it).
                }
            };
            message.setFrom(new InternetAddress(mail.getFrom() != null ? mail.getFrom() : from));
            for (String to : mail.getTo()) {
                message.addRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(to));
            }
            for (String cc : mail.getCc()) {
                message.addRecipients(MimeMessage.RecipientType.CC, InternetAddress.parse(cc));
            }
            if (mail.getReplyTo() != null) {
                message.setReplyTo(InternetAddress.parse(mail.getReplyTo()));
            }
            message.setSubject(mail.getSubject(), "UTF-8");
            message.setHeader("Date", date);
            for (var header : mail.getHeaders().entrySet()) {
                for (String value : header.getValue()) {
                    message.addHeader(header.getKey(), value);
                }
            }
            setContent(message, mail, textEncoded);
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IllegalArgumentException("The mail cannot be encoded: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param textEncoded the mail's text is base64 already */
    private static void setContent(MimeMessage message, Mail mail, boolean textEncoded) throws MessagingException {
        MimeMultipart body = new MimeMultipart("alternative");
        if (mail.getText() != null) {
            body.addBodyPart(textPart(textEncoded ? new PreencodedMimeBodyPart("base64") : new MimeBodyPart(),
                    mail.getText(), "plain"));
        }
        if (mail.getHtml() != null) {
            body.addBodyPart(textPart(new MimeBodyPart(), mail.getHtml(), "html"));
        }
        if (mail.getAttachments().isEmpty()) {
            message.setContent(body);
            return;
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart alternatives = new MimeBodyPart();
        alternatives.setContent(body);
        mixed.addBodyPart(alternatives);
        for (Attachment attachment : mail.getAttachments()) {
            mixed.addBodyPart(attachmentPart(attachment));
        }
        message.setContent(mixed);
    }

    private static MimeBodyPart textPart(MimeBodyPart part, String text, String subtype) throws MessagingException {
        part.setText(text, "UTF-8", subtype);
        return part;
    }

    private static MimeBodyPart attachmentPart(Attachment attachment) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(data(attachment), attachment.getContentType())));
        part.setFileName(attachment.getName());
        part.setDisposition(attachment.getDisposition() != null ? attachment.getDisposition()
                : attachment.isInlineAttachment() ? Part.INLINE : Part.ATTACHMENT);
        if (attachment.getContentId() != null) {
            part.setContentID(attachment.getContentId());
        }
        if (attachment.getDescription() != null) {
            part.setDescription(attachment.getDescription());
        }
        return part;
    }

    private static byte[] data(Attachment attachment) {
        if (attachment.getFile() != null) {
            try {
                return Files.readAllBytes(attachment.getFile().toPath());
            } catch (IOException e) {
                throw new UncheckedIOException("The attachment " + attachment.getName() + " could not be read", e);
            }
        }
        return bytes(attachment.getData());
    }

    /** The mailer keeps attachment data as a publisher of bytes; one made from an array emits them at once. */
    private static byte[] bytes(Flow.Publisher<Byte> data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        data.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Byte b) {
                bytes.write(b);
            }

            @Override
            public void onError(Throwable failure) {
                read.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                read.complete(bytes.toByteArray());
            }
        });
        return read.join();
    }
}
