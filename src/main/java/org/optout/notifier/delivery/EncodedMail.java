package org.optout.notifier.delivery;

/**
 * A mail as the relay receives it: its one recipient and the whole message, headers and body, with CRLF line ends and
 * nothing left to encode.
 */
public record EncodedMail(String recipient, byte[] message) {
}
