package io.vkv.node.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The subject alternative names of a certificate, and whether a host name or IP address is among them. */
public final class CertificateNames {
  private static final int DNS = 2;
  private static final int IP = 7;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private CertificateNames() {
  }

  /** The DNS names (SAN type dNSName). */
  public static List<String> dnsNames(X509Certificate cert) {
    return sans(cert, DNS);
  }

  /** The SANs for a message: "IP [a, b], DNS [c]". */
  public static String describe(X509Certificate cert) {
    return "IP " + ipAddresses(cert).stream().map(InetAddress::getHostAddress).toList() + ", DNS " + dnsNames(cert);
  }

  /** The IP addresses (SAN type iPAddress). */
  public static List<InetAddress> ipAddresses(X509Certificate cert) {
    List<InetAddress> out = new ArrayList<>();
    for (String s : sans(cert, IP)) {
      InetAddress a = ipLiteral(s);
      if (a != null) out.add(a);
    }
    return out;
  }

  /**
   * Whether the certificate is valid for {@code host}, as Go's {@code VerifyHostname} decides it (which etcd's
   * --*-cert-allowed-hostname uses): an IP address must be one of the IP SANs; a name must match a DNS SAN,
   * case-insensitively, where {@code *.} in a SAN stands for exactly one leftmost label. The subject CN is not
   * consulted (Go stopped doing so in 1.15).
   */
  public static boolean validFor(X509Certificate cert, String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress ip = ipLiteral(h);
    if (ip != null) return ipAddresses(cert).contains(ip);
    String name = stripDot(h.toLowerCase(Locale.ROOT));
    for (String san : dnsNames(cert)) {
      if (dnsMatches(stripDot(san.toLowerCase(Locale.ROOT)), name)) return true;
    }
    return false;
  }

  private static boolean dnsMatches(String pattern, String name) {
    if (pattern.isEmpty() || name.isEmpty()) return false;
    if (!pattern.startsWith("*.")) return pattern.equals(name);
    int dot = name.indexOf('.');
    return dot > 0 && name.substring(dot).equals(pattern.substring(1));
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** The address an IPv4 or IPv6 literal denotes, or null for anything else (never a DNS lookup). */
  static InetAddress ipLiteral(String s) {
    if (!IPV4.matcher(s).matches() && !s.contains(":")) return null;
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static List<String> sans(X509Certificate cert, int type) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> all = cert.getSubjectAlternativeNames();
      if (all == null) return out;
      for (List<?> entry : all) {
        if (entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type && entry.get(1) instanceof String v) out.add(v);
      }
    } catch (CertificateParsingException e) {
      // an unparseable SAN extension names nothing
    }
    return out;
  }
}
