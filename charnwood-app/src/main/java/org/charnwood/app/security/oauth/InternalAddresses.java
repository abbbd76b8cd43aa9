package org.charnwood.app.security.oauth;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Addresses this server must not fetch a client's key set from unless told to: its own machine, the networks
 * behind it and cloud metadata services (169.254.169.254, fd00:ec2::254, 100.100.100.200), reachable from here
 * but not from the internet, so a registration naming one would turn this server into a way in.
 */
final class InternalAddresses {

    private InternalAddresses() {
    }

    /**
     * Loopback, unspecified, link-local, private (RFC 1918), shared (RFC 6598), IETF, benchmarking, reserved,
     * multicast and broadcast IPv4; loopback, unspecified, link-local, site-local, unique-local and multicast IPv6,
     * and IPv6 forms that carry an IPv4 address (compatible, mapped, NAT64) judged by that address.
     */
    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return internalV4(b[0] & 0xff, b[1] & 0xff, b[2] & 0xff);
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return true;
        }
        if (address instanceof Inet6Address v6 && (v6.isIPv4CompatibleAddress() || mappedOrNat64(b))) {
            return internalV4(b[12] & 0xff, b[13] & 0xff, b[14] & 0xff) || (b[12] | b[13] | b[14] | b[15]) == 0;
        }
        return false;
    }

    private static boolean internalV4(int a, int b, int c) {
        return a == 0 || a == 10 || a == 127 || a >= 224
                || (a == 100 && (b & 0xc0) == 64)
                || (a == 169 && b == 254)
                || (a == 172 && (b & 0xf0) == 16)
                || (a == 192 && b == 168)
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b & 0xfe) == 18);
    }

    /** {@code ::ffff:a.b.c.d} (when not already turned into IPv4) and {@code 64:ff9b::a.b.c.d}. */
    private static boolean mappedOrNat64(byte[] b) {
        boolean zeroTo9 = true;
        for (int i = 0; i < 10; i++) {
            zeroTo9 &= b[i] == 0;
        }
        boolean mapped = zeroTo9 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        return mapped || nat64;
    }
}
