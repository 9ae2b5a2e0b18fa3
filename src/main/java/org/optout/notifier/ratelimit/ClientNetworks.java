package org.optout.notifier.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** What a per-client limit counts: an IPv4 address, or an IPv6 /64 network (one subscriber line has a whole /64). */
public final class ClientNetworks {

    private ClientNetworks() {
    }

    /** @param address a literal IP address, as the HTTP layer reports the client */
    public static String of(String address) {
        if (address == null || !address.contains(":")) {
            return String.valueOf(address);
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : address;
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
