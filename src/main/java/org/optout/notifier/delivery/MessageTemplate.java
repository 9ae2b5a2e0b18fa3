package org.optout.notifier.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An encoded message with placeholders where each mail has its own values (recipient, links, ids, date): encoded once,
 * it becomes a mail by copying its fixed parts and writing the values between them. Placeholders are letters between
 * {@code zz} marks, which a 7bit part carries as they are; a part that needs encoding (text beyond ASCII) is itself a
 * placeholder, its value encoded for each mail.
 */
final class MessageTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("zzOptout([A-Za-z]+?)zz");

    /** The fixed bytes before each placeholder, then the bytes after the last. */
    private final List<byte[]> fixed;
    private final List<String> names;
    private final int size;

    private MessageTemplate(List<byte[]> fixed, List<String> names) {
        this.fixed = fixed;
        this.names = names;
        this.size = fixed.stream().mapToInt(part -> part.length).sum();
    }

    /** The placeholder named {@code name}, as it is written into what is encoded. */
    static String placeholder(String name) {
        return "zzOptout" + name + "zz";
    }

    /** @param message an encoded message, ASCII only (every part 7bit, quoted-printable or base64) */
    static MessageTemplate of(byte[] message) {
        String text = new String(message, StandardCharsets.US_ASCII);
        List<byte[]> fixed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        int from = 0;
        while (matcher.find()) {
            fixed.add(text.substring(from, matcher.start()).getBytes(StandardCharsets.US_ASCII));
            names.add(matcher.group(1));
            from = matcher.end();
        }
        fixed.add(text.substring(from).getBytes(StandardCharsets.US_ASCII));
        return new MessageTemplate(fixed, names);
    }

    /**
     * The message with every placeholder replaced by its value. One without a value is written as it was: it came
     * from a publisher's text, which must not stop the mail.
     */
    byte[] fillIn(Map<String, byte[]> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
        for (int i = 0; i < names.size(); i++) {
            out.writeBytes(fixed.get(i));
            byte[] value = values.get(names.get(i));
            out.writeBytes(value != null ? value
                    : placeholder(names.get(i)).getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(fixed.get(names.size()));
        return out.toByteArray();
    }
}
