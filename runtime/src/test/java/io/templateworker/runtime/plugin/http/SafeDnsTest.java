package io.templateworker.runtime.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafeDnsTest {
  static InetAddress ip(String s) throws UnknownHostException {
    return InetAddress.getByName(s);
  }

  @Test
  void local_private_and_reserved_addresses_are_not_public() throws Exception {
    for (String a : List.of("127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.0.8",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1",
        "2002:c0a8:101::1")) {
      assertThat(SafeDns.isPublic(ip(a))).as(a).isFalse();
    }
    for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "2002:808:808::1")) {
      assertThat(SafeDns.isPublic(ip(a))).as(a).isTrue();
    }
  }

  @Test
  void only_allowed_addresses_are_returned_and_none_is_an_error() throws Exception {
    SafeDns dns = new SafeDns(host -> new InetAddress[] {ip("10.0.0.1"), ip("93.184.216.34")}, SafeDns::isPublic);
    assertThat(dns.resolve("mixed.test")).containsExactly(ip("93.184.216.34"));
    assertThat(dns.resolve("mixed.test", 443)).hasSize(1);
    SafeDns rebinding = new SafeDns(host -> new InetAddress[] {ip("127.0.0.1")}, SafeDns::isPublic);
    assertThatThrownBy(() -> rebinding.resolve("rebind.test")).isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("rebind.test resolves only to addresses templates may not reach");
  }
}
