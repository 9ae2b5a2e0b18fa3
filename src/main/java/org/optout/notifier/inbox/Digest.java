package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** What is left of a part of a record too large to keep: its size and SHA-256, enough to recognise it. */
final class Digest {

    private Digest() {
    }

    static String sha256(byte[] bytes) {
        return sha256(ByteBuffer.wrap(bytes));
    }

    /** Of the buffer's remaining bytes, leaving its position where it was. */
    static String sha256(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.duplicate());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A small JSON object standing for the part: {@code {"replaced":"value","bytes":3145728,"sha256":"..."}}. */
    static byte[] stub(String part, byte[] bytes) {
        return stub(part, ByteBuffer.wrap(bytes));
    }

    static byte[] stub(String part, ByteBuffer bytes) {
        return ("{\"replaced\":\"" + part + "\",\"bytes\":" + bytes.remaining() + ",\"sha256\":\"" + sha256(bytes)
                + "\"}").getBytes(UTF_8);
    }

    /** The first bytes of a text, cut at a character boundary, with an ellipsis saying so. */
    static byte[] cut(byte[] text, int max) {
        byte[] ellipsis = "…".getBytes(UTF_8);
        int end = max - ellipsis.length;
        while (end > 0 && (text[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] cut = Arrays.copyOf(text, end + ellipsis.length);
        System.arraycopy(ellipsis, 0, cut, end, ellipsis.length);
        return cut;
    }
}
