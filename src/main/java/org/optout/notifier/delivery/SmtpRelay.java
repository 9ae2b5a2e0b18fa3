package org.optout.notifier.delivery;

import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.optout.notifier.config.NotifierConfig;

/**
 * Hands encoded mails to the relay over SMTP sessions, one kept open for each sending thread ({@link MailSender}'s
 * {@code notifier.delivery.connections}) and used for one mail after another: the message is written in one go, as
 * a plain SMTP client would, after an envelope pipelined where the relay offers it ({@link WireTransport}). The
 * Vert.x mail client behind Quarkus's mailer encodes MIME for every mail and awaits a socket write per line: most of
 * the event loop's time at a thousand mails a second. The relay is Quarkus's
 * mailer's ({@code quarkus.mailer.*}: host, port, TLS or STARTTLS, trust-all, login, own host name, sender and bounce
 * address, DKIM through {@link DkimSigner}). Not on this path: {@code quarkus.mailer.mock} and approved recipients.
 */
@ApplicationScoped
public class SmtpRelay {

    /** A session idle this long is closed before use: relays drop idle sessions (often after a minute or five). */
    private static final Duration IDLE = Duration.ofSeconds(30);

    /** The SMTP session of one sending thread, connected on first use and again after a failure or idleness. */
    private final class Connection {
        private WireTransport transport;
        private long lastUsed;

        void send(EncodedMail mail) throws MessagingException {
            if (transport != null && System.nanoTime() - lastUsed > IDLE.toNanos()) {
                close();
            }
            try {
                if (transport == null) {
                    transport = new WireTransport(session, tls);
                    transport.connect(username.orElse(null), password.orElse(null));
                }
                transport.send(envelopeFrom, mail.recipient(), WireTransport.dotStuffed(dkim.sign(mail.message())));
                lastUsed = System.nanoTime();
            } catch (MessagingException | RuntimeException e) {
                // What the session says after a refusal or a broken connection is not worth finding out.
                close();
                throw e;
            }
        }

        void close() {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException e) {
                    Log.debugf("Closing an SMTP session: %s", e.getMessage());
                }
                transport = null;
            }
        }
    }

    /**
     * Sockets that send each write at once: a message longer than the session's 8 KiB buffer goes out in two writes,
     * and Nagle's algorithm held the second until the relay's delayed acknowledgement (40 ms on Linux).
     */
    private static final class NoDelaySockets extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(address, port));
        }

        private Socket connected(InetSocketAddress address) throws IOException {
            Socket socket = createSocket();
            socket.connect(address);
            return socket;
        }
    }

    private final Session session;
    private final boolean tls;
    private final Optional<String> username;
    private final Optional<String> password;
    private final String envelopeFrom;
    private final DkimSigner dkim;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Connection> connection = ThreadLocal.withInitial(() -> {
        Connection connection = new Connection();
        open.add(connection);
        return connection;
    });

    @Inject
    SmtpRelay(NotifierConfig config, DkimSigner dkim,
            @ConfigProperty(name = "quarkus.mailer.host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "quarkus.mailer.port") Optional<Integer> port,
            @ConfigProperty(name = "quarkus.mailer.tls") Optional<Boolean> tls,
            @ConfigProperty(name = "quarkus.mailer.start-tls", defaultValue = "OPTIONAL") String startTls,
            @ConfigProperty(name = "quarkus.mailer.trust-all") Optional<Boolean> trustAll,
            @ConfigProperty(name = "quarkus.mailer.login", defaultValue = "NONE") String login,
            @ConfigProperty(name = "quarkus.mailer.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.mailer.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.mailer.own-host-name") Optional<String> ownHostName,
            @ConfigProperty(name = "quarkus.mailer.from") String from,
            @ConfigProperty(name = "quarkus.mailer.bounce-address") Optional<String> bounceAddress) {
        this.dkim = dkim;
        this.tls = tls.orElse(false);
        boolean authenticate = !"DISABLED".equalsIgnoreCase(login) && username.isPresent();
        this.username = authenticate ? username : Optional.empty();
        this.password = authenticate ? password : Optional.empty();
        this.session = Session.getInstance(properties(this.tls ? "smtps" : "smtp", host, port.orElse(25), startTls,
                trustAll.orElse(false), authenticate, ownHostName, config.delivery().sendTimeout()));
        this.envelopeFrom = address(bounceAddress.orElse(from));
    }

    /**
     * Returns when the relay accepted the mail, over the calling thread's session (opened on first use); throws why
     * not. Every command is answered within the send timeout, or fails.
     */
    public void send(EncodedMail mail) throws MessagingException {
        connection.get().send(mail);
    }

    /** Sessions close with their sockets; a mail under way fails, and is sent again later. */
    @PreDestroy
    void stop() {
        open.forEach(Connection::close);
    }

    private static Properties properties(String protocol, String host, int port, String startTls, boolean trustAll,
            boolean authenticate, Optional<String> ownHostName, Duration timeout) {
        String prefix = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.put(prefix + "host", host);
        properties.put(prefix + "port", String.valueOf(port));
        properties.put(prefix + "auth", String.valueOf(authenticate));
        properties.put(prefix + "socketFactory", new NoDelaySockets());
        properties.put(prefix + "starttls.enable", String.valueOf(!"DISABLED".equalsIgnoreCase(startTls)));
        properties.put(prefix + "starttls.required", String.valueOf("REQUIRED".equalsIgnoreCase(startTls)));
        if (trustAll) {
            properties.put(prefix + "ssl.trust", "*");
        } else {
            properties.put(prefix + "ssl.checkserveridentity", "true");
        }
        ownHostName.ifPresent(name -> properties.put(prefix + "localhost", name));
        properties.put(prefix + "connectiontimeout", String.valueOf(timeout.toMillis()));
        properties.put(prefix + "timeout", String.valueOf(timeout.toMillis()));
        // The relay's answer to QUIT tells nothing the service acts on.
        properties.put(prefix + "quitwait", "false");
        return properties;
    }

    /** The address of a sender such as {@code optout-notifier <noreply@example.org>}. */
    private static String address(String sender) {
        try {
            return new InternetAddress(sender).getAddress();
        } catch (AddressException e) {
            throw new IllegalArgumentException("quarkus.mailer.from / bounce-address is not an address: " + sender, e);
        }
    }
}
