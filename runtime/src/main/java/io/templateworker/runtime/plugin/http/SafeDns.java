package io.templateworker.runtime.plugin.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The SSRF guard. {@code java.net.http} resolves names itself and offers no hook, so a check of the name's
 * addresses before the request would be undone by DNS rebinding (the name answers a public address to the
 * check and 127.0.0.1 to the connection). Apache HttpClient asks this resolver for the addresses it will
 * connect to, at connect time, and connects only to what it returns: so the addresses are filtered here, once,
 * and the socket can only go to an address that passed. Refused: loopback, private (RFC 1918, unique-local
 * IPv6, carrier-grade NAT), link-local, multicast, unspecified, broadcast and reserved ranges. Redirects are
 * never followed, so a response cannot steer the client elsewhere either.
 */
public final class SafeDns implements DnsResolver {
  /** How names become addresses (the system resolver in production; a fixed table in tests). */
  @FunctionalInterface
  public interface Lookup {
    InetAddress[] lookup(String host) throws UnknownHostException;
  }

  private final Lookup lookup;
  private final Predicate<InetAddress> allowed;

  /**
   * @param allowed which addresses may be connected to; production passes {@link #isPublic}, a test adds the
   *                loopback address of its own server
   */
  public SafeDns(Lookup lookup, Predicate<InetAddress> allowed) {
    this.lookup = lookup;
    this.allowed = allowed;
  }

  /** The system resolver and public addresses only. */
  public static SafeDns internet() {
    return new SafeDns(InetAddress::getAllByName, SafeDns::isPublic);
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] all = lookup.lookup(host);
    List<InetAddress> ok = new ArrayList<>(all.length);
    for (InetAddress a : all) {
      if (allowed.test(a)) {
        ok.add(a);
      }
    }
    if (ok.isEmpty()) {
      throw new UnknownHostException(host + " resolves only to addresses templates may not reach (local, private or reserved)");
    }
    return ok.toArray(new InetAddress[0]);
  }

  @Override
  public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
    InetAddress[] addresses = resolve(host);
    List<InetSocketAddress> out = new ArrayList<>(addresses.length);
    for (InetAddress a : addresses) {
      out.add(new InetSocketAddress(a, port));
    }
    return out;
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return host;
  }

  /** Whether an address is on the public internet (not local, private, link-local, multicast or reserved). */
  public static boolean isPublic(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      return !(b0 == 0 // "this network"
          || (b0 == 100 && b1 >= 64 && b1 <= 127) // carrier-grade NAT
          || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (b0 == 198 && (b1 == 18 || b1 == 19)) // benchmarking
          || b0 >= 240); // reserved and broadcast
    }
    if (a instanceof Inet6Address) {
      int b0 = b[0] & 0xff;
      if ((b0 & 0xfe) == 0xfc) {
        return false; // unique local fc00::/7
      }
      boolean mapped = true; // ::ffff:a.b.c.d and ::a.b.c.d carry an IPv4 address
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
        try {
          return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException impossible) {
          return false;
        }
      }
      if (b0 == 0x20 && (b[1] & 0xff) == 0x02) {
        // 6to4 2002:V4ADDR::/48: judged by the embedded IPv4 address
        try {
          return isPublic(InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]}));
        } catch (UnknownHostException impossible) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
