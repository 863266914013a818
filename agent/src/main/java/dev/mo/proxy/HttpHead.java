package dev.mo.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The head of one HTTP/1.x message (RFC 9112): the start line, split in its three parts, and
 * the header fields in the order they came. A request's parts are method, target and version;
 * a response's are version, status and reason. Header names keep their case; lookups ignore it.
 *
 * <p>Parsing is strict where leniency lets requests be smuggled past a proxy (RFC 9112 §11.2):
 * a field name with white space before its colon, a folded line, a control character, or a start
 * line without three parts is refused with {@link Malformed}.
 */
final class HttpHead {
    /** A head this proxy will not pass on; the message says why (it goes into a 400 or 502 body). */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    final String first;
    final String second;
    /** A request's version is the one part a proxy changes: it speaks HTTP/1.1 to backends. */
    String third;
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    HttpHead(String first, String second, String third) {
        this.first = first;
        this.second = second;
        this.third = third;
    }

    /**
     * Where the head that starts at {@code buf[0]} ends: the index just past its empty line, or
     * -1 when it is not all there yet. Looks at {@code buf[0, buf.position())} (a buffer being
     * filled); a bare LF ends a line too (RFC 9112 §2.2).
     */
    static int end(ByteBuffer buf) {
        int limit = buf.position();
        for (int i = 1; i < limit; i++) {
            if (buf.get(i) != '\n') continue;
            if (buf.get(i - 1) == '\n') return i + 1;
            if (i >= 2 && buf.get(i - 1) == '\r' && buf.get(i - 2) == '\n') return i + 1;
        }
        return -1;
    }

    /** Parses {@code buf[0, end)}, where {@code end} came from {@link #end}. */
    static HttpHead parse(ByteBuffer buf, int end) throws Malformed {
        byte[] bytes = new byte[end];
        buf.get(0, bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf('\n');
        String start = trimCr(text.substring(0, lineEnd));
        int sp1 = start.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : start.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1) throw new Malformed("malformed start line: " + printable(start));
        HttpHead head = new HttpHead(start.substring(0, sp1), start.substring(sp1 + 1, sp2), start.substring(sp2 + 1));
        int pos = lineEnd + 1;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            String line = trimCr(text.substring(pos, nl));
            pos = nl + 1;
            if (line.isEmpty()) break;
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') throw new Malformed("folded header line");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new Malformed("header line without a name: " + printable(line));
            String name = line.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= ' ' || c >= 127) throw new Malformed("bad character in header name: " + printable(name));
            }
            String value = line.substring(colon + 1).strip();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < ' ' && c != '\t') || c == 127) throw new Malformed("control character in header " + name);
            }
            head.add(name, value);
        }
        return head;
    }

    void add(String name, String value) {
        names.add(name);
        values.add(value);
    }

    /** The first value of the named header, or null. */
    String get(String name) {
        for (int i = 0; i < names.size(); i++) if (names.get(i).equalsIgnoreCase(name)) return values.get(i);
        return null;
    }

    /** Every value of the named header, in order. */
    List<String> all(String name) {
        List<String> found = new ArrayList<>(1);
        for (int i = 0; i < names.size(); i++) if (names.get(i).equalsIgnoreCase(name)) found.add(values.get(i));
        return found;
    }

    void remove(String name) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
            }
        }
    }

    void set(String name, String value) {
        remove(name);
        add(name, value);
    }

    /** Does a comma-separated header (Connection, Transfer-Encoding) list this token? */
    boolean hasToken(String name, String token) {
        for (String value : all(name)) {
            for (String t : value.split(",")) if (t.strip().equalsIgnoreCase(token)) return true;
        }
        return false;
    }

    /**
     * Hop-by-hop headers (RFC 9110 §7.6.1, plus the non-standard Keep-Alive and Proxy-Connection):
     * they describe one connection, so a proxy never passes them on. The headers a Connection
     * header names are hop-by-hop too (never Host: the pod needs it).
     */
    void removeHopByHop() {
        for (String value : all("Connection")) {
            for (String t : value.split(",")) {
                String token = t.strip();
                if (!token.isEmpty() && !token.equalsIgnoreCase("host")) remove(token);
            }
        }
        for (String h : HOP_BY_HOP) remove(h);
    }

    static final List<String> HOP_BY_HOP = List.of("Connection", "Keep-Alive", "Proxy-Authenticate",
            "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade");

    /**
     * The path the Ingress rules match for a request target: without the query, percent-decoded
     * as UTF-8 (as ingress-nginx matches); an absolute-form target is reduced to its path.
     */
    static String decodedPath(String target) {
        String t = target;
        if (t.startsWith("http://") || t.startsWith("https://")) {
            int slash = t.indexOf('/', t.indexOf("//") + 2);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int query = t.indexOf('?');
        if (query >= 0) t = t.substring(0, query);
        if (t.indexOf('%') < 0) return t;
        byte[] bytes = new byte[t.length()];
        int n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '%' && i + 2 < t.length()
                    && Character.digit(t.charAt(i + 1), 16) >= 0 && Character.digit(t.charAt(i + 2), 16) >= 0) {
                bytes[n++] = (byte) Integer.parseInt(t.substring(i + 1, i + 3), 16);
                i += 2;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                return t; // not ASCII: leave it as it came
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** The head as it goes on the wire, CRLF line ends. */
    byte[] bytes() {
        StringBuilder sb = new StringBuilder(64 + 32 * names.size());
        sb.append(first).append(' ').append(second).append(' ').append(third).append("\r\n");
        for (int i = 0; i < names.size(); i++) sb.append(names.get(i)).append(": ").append(values.get(i)).append("\r\n");
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String trimCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
