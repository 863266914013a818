package dev.mo.proxy;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpHeadTest {
    /** A buffer being filled, as the proxy's are: the bytes are [0, position). */
    private static ByteBuffer filled(String s) {
        ByteBuffer b = ByteBuffer.allocate(1024);
        b.put(s.getBytes(StandardCharsets.ISO_8859_1));
        return b;
    }

    private static HttpHead parse(String s) throws HttpHead.Malformed {
        ByteBuffer b = filled(s);
        int end = HttpHead.end(b);
        assertTrue(end > 0, "no end found in " + s);
        return HttpHead.parse(b, end);
    }

    @Test
    void findsTheEndOfAHeadOnlyWhenItIsAllThere() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        assertEquals(head.length(), HttpHead.end(filled(head + "body")));
        assertEquals(-1, HttpHead.end(filled("GET / HTTP/1.1\r\nHost: a\r\n")));
        assertEquals(-1, HttpHead.end(filled("GET / HTTP/1.1\r\nHost: a\r\n\r")));
        assertEquals("GET / HTTP/1.0\n\n".length(), HttpHead.end(filled("GET / HTTP/1.0\n\nx")), "bare LF ends lines too");
    }

    @Test
    void parsesStartLineAndHeadersInOrder() throws Exception {
        HttpHead h = parse("POST /a?b=c HTTP/1.1\r\nHost: shop\r\nX-A:  one \r\nx-a: two\r\n\r\n");
        assertEquals("POST", h.first);
        assertEquals("/a?b=c", h.second);
        assertEquals("HTTP/1.1", h.third);
        assertEquals("shop", h.get("host"));
        assertEquals(List.of("one", "two"), h.all("X-A"));
        HttpHead response = parse("HTTP/1.1 404 Not Found\r\n\r\n");
        assertEquals("404", response.second);
        assertEquals("Not Found", response.third, "the reason keeps its spaces");
    }

    @Test
    void refusesWhatCouldBeReadTwoWays() {
        for (String bad : new String[]{
                "GET /\r\n\r\n",                                   // no version
                "GET / HTTP/1.1\r\nHost : a\r\n\r\n",              // space before the colon
                "GET / HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n",      // obsolete line folding
                "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
                "GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n"}) {     // control character
            assertThrows(HttpHead.Malformed.class, () -> parse(bad), bad);
        }
    }

    @Test
    void removesHopByHopHeadersAndThoseConnectionNames() throws Exception {
        HttpHead h = parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-Secret, Host\r\nX-Secret: s\r\n"
                + "Keep-Alive: 5\r\nTransfer-Encoding: chunked\r\nUpgrade: x\r\nX-Kept: k\r\n\r\n");
        assertTrue(h.hasToken("connection", "x-secret"));
        h.removeHopByHop();
        assertEquals("GET / HTTP/1.1\r\nHost: a\r\nX-Kept: k\r\n\r\n", new String(h.bytes(), StandardCharsets.ISO_8859_1));
        assertNull(h.get("Connection"));
    }

    @Test
    void setReplacesEveryValue() throws Exception {
        HttpHead h = parse("GET / HTTP/1.1\r\nX-Forwarded-Proto: https\r\nx-forwarded-proto: ftp\r\n\r\n");
        h.set("X-Forwarded-Proto", "http");
        assertEquals(List.of("http"), h.all("x-forwarded-proto"));
    }

    @Test
    void requestPathIsDecodedAndWithoutQuery() {
        assertEquals("/app/a b/é", HttpHead.decodedPath("/app/a%20b/%C3%A9?q=%41"));
        assertEquals("/app", HttpHead.decodedPath("/%61pp"));
        assertEquals("/x", HttpHead.decodedPath("http://shop.example.com/x?y"));
        assertEquals("/", HttpHead.decodedPath("http://shop.example.com"));
        assertEquals("/100%", HttpHead.decodedPath("/100%"), "a lone % stays");
    }
}
