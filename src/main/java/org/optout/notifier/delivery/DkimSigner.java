package org.optout.notifier.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs encoded mails with DKIM (RFC 6376: rsa-sha256, relaxed/relaxed canonicalization), configured like Quarkus's
 * mailer ({@code quarkus.mailer.dkim.*}: sdid, selector, private key or its path, auid, signed headers), so that
 * reminders and follow-ups are signed as the one-off mails are. Quarkus's other DKIM settings (canonicalization, body
 * limit, expiry) are not applied here. An RSA signature is the costliest step of a mail: signing is for relays that
 * do not sign.
 */
@ApplicationScoped
public class DkimSigner {

    /** The headers signed unless {@code quarkus.mailer.dkim.signed-headers} says otherwise (those present). */
    static final List<String> DEFAULT_HEADERS = List.of("From", "Reply-To", "Subject", "Date", "To", "Cc",
            "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id");

    private static final byte[] CRLF = {'\r', '\n'};

    /** What signing needs, present only when it is enabled. */
    private record Key(PrivateKey privateKey, String sdid, String selector, Optional<String> auid,
            List<String> headers) {
    }

    private final Optional<Key> key;
    private final Clock clock;

    @Inject
    DkimSigner(Clock clock,
            @ConfigProperty(name = "quarkus.mailer.dkim.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "quarkus.mailer.dkim.sdid") Optional<String> sdid,
            @ConfigProperty(name = "quarkus.mailer.dkim.selector") Optional<String> selector,
            @ConfigProperty(name = "quarkus.mailer.dkim.private-key") Optional<String> privateKey,
            @ConfigProperty(name = "quarkus.mailer.dkim.private-key-path") Optional<String> privateKeyPath,
            @ConfigProperty(name = "quarkus.mailer.dkim.auid") Optional<String> auid,
            @ConfigProperty(name = "quarkus.mailer.dkim.signed-headers") Optional<List<String>> headers) {
        this.clock = clock;
        this.key = enabled ? Optional.of(new Key(privateKey(privateKey, privateKeyPath),
                sdid.orElseThrow(() -> new IllegalStateException("quarkus.mailer.dkim.sdid is required for DKIM")),
                selector.orElseThrow(() -> new IllegalStateException("quarkus.mailer.dkim.selector is required")),
                auid, headers.orElse(DEFAULT_HEADERS))) : Optional.empty();
    }

    /** A signer with this key (tests). */
    DkimSigner(Clock clock, PrivateKey privateKey, String sdid, String selector) {
        this.clock = clock;
        this.key = Optional.of(new Key(privateKey, sdid, selector, Optional.empty(), DEFAULT_HEADERS));
    }

    /** The message with CRLF line ends and, when signing is enabled, a DKIM-Signature header first. */
    public byte[] sign(byte[] message) {
        if (key.isEmpty()) {
            return message;
        }
        byte[] crlf = withCrlf(message);
        int bodyStart = bodyStart(crlf);
        List<String> fields = headerFields(new String(crlf, 0, bodyStart, StandardCharsets.US_ASCII));
        String value = signatureValue(key.get(), fields, bodyHash(crlf, bodyStart));
        String signed = relaxed("DKIM-Signature", value);
        String signature = base64(rsaSha256(key.get().privateKey(), signedHeaders(key.get(), fields) + signed));
        ByteArrayOutputStream out = new ByteArrayOutputStream(crlf.length + 512);
        out.writeBytes(("DKIM-Signature: " + value + signature + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(crlf);
        return out.toByteArray();
    }

    private String signatureValue(Key key, List<String> fields, String bodyHash) {
        List<String> signedNames = key.headers().stream().filter(name -> field(fields, name) != null)
                .map(name -> name.toLowerCase(Locale.ROOT)).toList();
        return "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + key.sdid() + "; s=" + key.selector()
                + key.auid().map(auid -> "; i=" + auid).orElse("") + "; t=" + clock.instant().getEpochSecond()
                + "; h=" + String.join(":", signedNames) + "; bh=" + bodyHash + "; b=";
    }

    /** The signed header fields, canonicalized, in the order of {@code h=}. */
    private static String signedHeaders(Key key, List<String> fields) {
        StringBuilder data = new StringBuilder();
        for (String name : key.headers()) {
            String field = field(fields, name);
            if (field != null) {
                int colon = field.indexOf(':');
                data.append(relaxed(field.substring(0, colon), field.substring(colon + 1))).append("\r\n");
            }
        }
        return data.toString();
    }

    /** The last field of that name (RFC 6376 5.4.2: one listed name signs the bottom-most instance), or null. */
    private static String field(List<String> fields, String name) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            String field = fields.get(i);
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return field;
            }
        }
        return null;
    }

    /** Relaxed header canonicalization (RFC 6376 3.4.2), without the line end. */
    static String relaxed(String name, String value) {
        String unfolded = value.replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
        return name.strip().toLowerCase(Locale.ROOT) + ":" + unfolded;
    }

    /** Relaxed body canonicalization (RFC 6376 3.4.4), hashed. */
    static String bodyHash(byte[] message, int bodyStart) {
        List<String> lines = new ArrayList<>(List.of(new String(message, bodyStart, message.length - bodyStart,
                StandardCharsets.ISO_8859_1).split("\r\n", -1)));
        // A body ending in CRLF splits into a last empty string that is no line.
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        lines.replaceAll(line -> line.replaceAll("[ \t]+", " ").replaceAll(" $", ""));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        StringBuilder canonical = new StringBuilder(message.length - bodyStart);
        lines.forEach(line -> canonical.append(line).append("\r\n"));
        try {
            return base64(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.ISO_8859_1)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Header fields, each with its continuation lines. */
    private static List<String> headerFields(String header) {
        List<String> fields = new ArrayList<>();
        for (String line : header.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        return fields;
    }

    /** Where the body starts: after the empty line that ends the header (or at the end when there is none). */
    private static int bodyStart(byte[] message) {
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return i + 4;
            }
        }
        return message.length;
    }

    /** Bare LFs as CRLF, as the SMTP session sends them: the signature covers what the relay receives. */
    static byte[] withCrlf(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 256);
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.writeBytes(CRLF);
            } else {
                out.write(message[i]);
            }
        }
        return out.toByteArray();
    }

    private static byte[] rsaSha256(PrivateKey key, String data) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(data.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The DKIM key cannot sign: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Optional<String> key, Optional<String> path) {
        String pem = key.orElseGet(() -> path.map(DkimSigner::read).orElseThrow(() -> new IllegalStateException(
                "quarkus.mailer.dkim.private-key or private-key-path is required for DKIM")));
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The DKIM private key is not an RSA key in PKCS#8: " + e.getMessage(), e);
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("The DKIM private key cannot be read from " + path, e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
