package org.optout.notifier.infrastructure;

import com.icegreen.greenmail.util.GreenMail;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The real parts for a local run ({@code deploy/local/run.sh}): a KRaft Kafka broker and an SMTP catcher that saves
 * every received mail as an {@code .eml} file. The same broker and SMTP server code as the tests use.
 *
 * <p>Settings (system properties): {@code local.work} (folder for broker logs and mails, default
 * {@code deploy/local/work}), {@code local.kafka.port} (9092), {@code local.smtp.port} (2525).
 */
public final class LocalInfrastructure {

    private static final Logger LOG = Logger.getLogger(LocalInfrastructure.class.getName());

    private LocalInfrastructure() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(System.getProperty("local.work", "deploy/local/work")).toAbsolutePath();
        int kafkaPort = Integer.getInteger("local.kafka.port", 9092);
        int smtpPort = Integer.getInteger("local.smtp.port", 2525);
        Path mails = Files.createDirectories(work.resolve("mails"));
        Path kafkaLogs = work.resolve("kafka");
        deleteRecursively(kafkaLogs);

        EmbeddedKafkaBroker broker = KafkaBroker.start(kafkaLogs, kafkaPort);
        GreenMail smtp = SmtpServer.start(smtpPort);
        ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor();
        MailSaver mailSaver = new MailSaver(smtp, mails);
        saver.scheduleWithFixedDelay(mailSaver::saveNew, 500, 500, TimeUnit.MILLISECONDS);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            saver.shutdownNow();
            smtp.stop();
            broker.close();
            stopped.countDown();
        }, "local-infrastructure-shutdown"));

        Files.writeString(work.resolve("infrastructure.ready"),
                "kafka=" + broker.getAdvertisedListeners() + "\nsmtp=localhost:" + smtpPort + "\nmails=" + mails + "\n");
        LOG.info(() -> "Kafka broker at " + broker.getAdvertisedListeners() + ", SMTP catcher at localhost:" + smtpPort
                + ", mails saved in " + mails);
        stopped.await();
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (var paths = Files.walk(folder)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Writes each message the SMTP server received since the last call to {@code <time>-NNNN-<subject>.eml}. GreenMail
     * lists messages mailbox by mailbox, not in arrival order, so saved ones are remembered by identity.
     */
    private static final class MailSaver {

        private final GreenMail smtp;
        private final Path folder;
        private final Set<MimeMessage> saved = Collections.newSetFromMap(new IdentityHashMap<>());

        MailSaver(GreenMail smtp, Path folder) {
            this.smtp = smtp;
            this.folder = folder;
        }

        void saveNew() {
            for (MimeMessage message : smtp.getReceivedMessages()) {
                if (saved.add(message)) {
                    save(message);
                }
            }
        }

        private void save(MimeMessage message) {
            try {
                String subject = message.getSubject() == null ? "no-subject" : message.getSubject();
                String name = "%tY%<tm%<td-%<tH%<tM%<tS-%04d-%s.eml".formatted(new java.util.Date(), saved.size(),
                        subject.replaceAll("[^\\p{L}\\p{N}]+", "-").toLowerCase(java.util.Locale.ROOT));
                Path file = folder.resolve(name.length() > 120 ? name.substring(0, 116) + ".eml" : name);
                try (OutputStream out = Files.newOutputStream(file)) {
                    message.writeTo(out);
                }
                LOG.info(() -> "Mail to " + recipients(message) + " saved: " + file);
            } catch (IOException | MessagingException e) {
                LOG.warning("Could not save a received mail: " + e);
            }
        }

        private static String recipients(MimeMessage message) {
            try {
                return String.join(", ", java.util.Arrays.stream(message.getAllRecipients()).map(Object::toString)
                        .toList());
            } catch (MessagingException e) {
                return "?";
            }
        }
    }
}
