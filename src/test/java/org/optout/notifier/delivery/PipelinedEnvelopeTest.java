package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Session;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The envelope and DATA go in one write where the relay offers PIPELINING, and a refusal of any of them is sorted as
 * Jakarta Mail's own would be. A relay that answers nothing before it has read DATA (Postfix's smtp-sink cannot refuse
 * while it announces pipelining) proves the client did not wait between the commands.
 */
class PipelinedEnvelopeTest {

    @Test
    void theEnvelopeGoesInOneWriteAndTheMessageAsItIs() throws Exception {
        try (PipeliningRelay relay = new PipeliningRelay(Map.of())) {
            WireTransport transport = connected(relay);

            transport.send("noreply@optout.example.org", "reader@example.org",
                    "Subject: s\r\n\r\n..dot\r\n".getBytes(StandardCharsets.US_ASCII));
            transport.close();

            assertThat(relay.received()).containsExactly("MAIL FROM:<noreply@optout.example.org>",
                    "RCPT TO:<reader@example.org>", "DATA", "Subject: s", "", "..dot", ".", "QUIT");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "MAIL, 451 4.3.0 try later, MAIL_FROM, TRANSIENT",
        "MAIL, 553 5.7.1 sender refused, MAIL_FROM, RELAY",
        "RCPT, 550 5.1.1 no such mailbox, RCPT_TO, MAILBOX",
        "RCPT, 452 4.2.2 mailbox full, RCPT_TO, TRANSIENT",
        "DATA, 554 5.7.1 no valid recipients, DATA, RELAY",
        "., 552 5.3.4 message too big, DATA, RELAY"})
    void aRefusedCommandFailsTheMailAsJakartaMailWould(String command, String reply, SmtpFailure.Stage stage,
            SmtpFailure.Verdict verdict) throws Exception {
        try (PipeliningRelay relay = new PipeliningRelay(Map.of(command, reply))) {
            WireTransport transport = connected(relay);

            assertThatThrownBy(() -> transport.send("noreply@optout.example.org", "reader@example.org",
                    "Subject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .satisfies(failure -> assertThat(SmtpFailure.of(failure)).extracting(SmtpFailure::stage,
                            SmtpFailure::verdict, SmtpFailure::replyCode).containsExactly(stage, verdict,
                            Integer.valueOf(reply.substring(0, 3))));
            transport.close();
        }
    }

    private static WireTransport connected(PipeliningRelay relay) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(relay.port()));
        properties.put("mail.smtp.timeout", "5000");
        properties.put("mail.smtp.quitwait", "false");
        WireTransport transport = new WireTransport(Session.getInstance(properties), false);
        transport.connect();
        assertThat(transport.supportsExtension("PIPELINING")).isTrue();
        return transport;
    }

    /**
     * One SMTP session that announces PIPELINING and replies to MAIL, RCPT and DATA only once it has read all three,
     * refusing the commands it is given (by their first word) with the given replies.
     */
    private static final class PipeliningRelay implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);
        private final Map<String, String> refusals;
        private final List<String> received = new ArrayList<>();
        private final CompletableFuture<Void> session;

        PipeliningRelay(Map<String, String> refusals) throws Exception {
            this.refusals = refusals;
            this.session = CompletableFuture.runAsync(this::serve);
        }

        int port() {
            return server.getLocalPort();
        }

        List<String> received() throws Exception {
            session.get(10, TimeUnit.SECONDS);
            return received.subList(received.indexOf("MAIL FROM:<noreply@optout.example.org>"), received.size());
        }

        private void serve() {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(5_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                reply(out, "220 fake ESMTP");
                String line;
                List<String> envelope = new ArrayList<>();
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    String verb = line.split("[ :]")[0];
                    if (verb.equals("EHLO")) {
                        reply(out, "250-fake\r\n250 PIPELINING");
                    } else if (List.of("MAIL", "RCPT", "DATA").contains(verb)) {
                        envelope.add(verb);
                        if (verb.equals("DATA")) {
                            for (String command : envelope) {
                                reply(out, refusals.getOrDefault(command, command.equals("DATA") ? "354 go on"
                                        : "250 2.1.0 ok"));
                            }
                            envelope.clear();
                        }
                    } else if (line.equals(".")) {
                        reply(out, refusals.getOrDefault(".", "250 2.0.0 queued"));
                    } else if (verb.equals("QUIT")) {
                        reply(out, "221 bye");
                        return;
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static void reply(OutputStream out, String reply) throws Exception {
            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
