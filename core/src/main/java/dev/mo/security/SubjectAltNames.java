package dev.mo.security;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The host names and addresses a serving certificate is for (its subjectAltName extension), and
 * whether it is for the host a client dialled. Each entry is an IP address or a DNS name;
 * wildcards are neither issued nor matched.
 */
final class SubjectAltNames {
    private static final int DNS = GeneralName.dNSName;
    private static final int IP = GeneralName.iPAddress;
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*");

    private SubjectAltNames() {}

    /** The extension's value for {@code hosts}; throws IllegalArgumentException naming an entry that is neither. */
    static GeneralNames of(Collection<String> hosts) {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            String h = unbracket(host);
            if (IPAddress.isValid(h)) names.add(new GeneralName(IP, h));
            else if (h.length() <= 253 && HOST_NAME.matcher(h).matches()) names.add(new GeneralName(DNS, h));
            else throw new IllegalArgumentException("\"" + host + "\" is neither an IP address nor a DNS name");
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** Whether {@code certificate} names {@code host}: the same address, or the same DNS name in any case. */
    static boolean covers(X509Certificate certificate, String host) {
        String h = unbracket(host);
        boolean isIp = IPAddress.isValid(h);
        for (List<?> entry : entries(certificate)) {
            int type = (Integer) entry.get(0);
            String value = (String) entry.get(1);
            if (isIp && type == IP && sameAddress(h, value)) return true;
            if (!isIp && type == DNS && value.toLowerCase(Locale.ROOT).equals(h.toLowerCase(Locale.ROOT))) return true;
        }
        return false;
    }

    /** The names and addresses, for messages. */
    static List<String> list(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        for (List<?> entry : entries(certificate)) names.add(String.valueOf(entry.get(1)));
        return names;
    }

    private static Collection<List<?>> entries(X509Certificate certificate) {
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            return entries == null ? List.of() : entries;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** "::1" and "0:0:0:0:0:0:0:1" are one address; both are literals, so no DNS look-up happens. */
    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv6 host in a URL is written in brackets: {@code [::1]}. */
    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
