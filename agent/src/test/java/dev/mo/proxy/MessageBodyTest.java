package dev.mo.proxy;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageBodyTest {
    private static final String CHUNKED = "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n";
    private static final String NEXT = "GET /next HTTP/1.1\r\n";

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void chunkedBodyEndsAfterTheLastChunkAndTrailers() throws Exception {
        MessageBody body = MessageBody.chunked();
        assertEquals(CHUNKED.length(), body.take(bytes(CHUNKED + NEXT)), "the next request is not part of it");
        assertTrue(body.complete());
        assertEquals(23, body.contentSoFar());
    }

    @Test
    void chunkedBodyCutAtEveryPossiblePlaceGivesTheSameEnd() throws Exception {
        String wire = CHUNKED + NEXT;
        for (int cut = 0; cut <= wire.length(); cut++) {
            MessageBody body = MessageBody.chunked();
            int first = body.take(bytes(wire.substring(0, cut)));
            int second = body.complete() ? 0 : body.take(bytes(wire.substring(first)));
            assertEquals(CHUNKED.length(), first + second, "cut at " + cut);
            assertTrue(body.complete(), "cut at " + cut);
        }
    }

    @Test
    void chunkedContentWithoutFramingForAnHttp10Client() throws Exception {
        ByteBuffer sink = ByteBuffer.allocate(100);
        MessageBody body = MessageBody.chunked();
        body.take(bytes(CHUNKED), sink);
        assertEquals("Wikipedia in\r\n\r\nchunks.", new String(sink.array(), 0, sink.position(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void bareLineFeedsAreAccepted() throws Exception {
        MessageBody body = MessageBody.chunked();
        String wire = "3\nabc\n0\n\n";
        assertEquals(wire.length(), body.take(bytes(wire + "x")));
        assertTrue(body.complete());
    }

    @Test
    void malformedChunkedBodiesAreRefused() {
        for (String wire : new String[]{"x\r\n", "\r\n", "3\r\nabcX", "3 z\r\nabc\r\n0\r\n\r\n".replace(" z", "z"), "1234567890abcdef0\r\n"}) {
            assertThrows(MessageBody.Malformed.class, () -> MessageBody.chunked().take(bytes(wire)), wire);
        }
    }

    @Test
    void fixedBodyTakesItsLengthOnly() throws Exception {
        MessageBody body = MessageBody.fixed(5);
        assertEquals(5, body.fixedLength());
        assertEquals(3, body.take(bytes("abc")));
        assertFalse(body.complete());
        assertEquals(2, body.take(bytes("deGET")));
        assertTrue(body.complete());
    }

    private static HttpHead head(String text) throws HttpHead.Malformed {
        ByteBuffer b = ByteBuffer.allocate(1024).put(text.getBytes(StandardCharsets.ISO_8859_1));
        return HttpHead.parse(b, HttpHead.end(b));
    }

    @Test
    void aRequestThatCouldBeReadTwoWaysIsRefused() throws Exception {
        for (String bad : new String[]{
                "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n"}) {
            HttpHead h = head(bad);
            assertThrows(HttpHead.Malformed.class, () -> MessageBody.ofRequest(h), bad);
        }
        assertTrue(MessageBody.ofRequest(head("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")).isChunked());
        assertEquals(5, MessageBody.ofRequest(head("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")).fixedLength());
        assertTrue(MessageBody.ofRequest(head("GET / HTTP/1.1\r\n\r\n")).complete(), "no length: no body");
    }

    @Test
    void howAResponseSaysWhereItsBodyEnds() throws Exception {
        HttpHead chunked = head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertTrue(MessageBody.ofResponse(chunked, "GET", 200).isChunked());
        assertTrue(MessageBody.ofResponse(chunked, "HEAD", 200).complete(), "a HEAD's response has no body");
        HttpHead sized = head("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n");
        assertEquals(7, MessageBody.ofResponse(sized, "GET", 200).fixedLength());
        assertTrue(MessageBody.ofResponse(sized, "GET", 304).complete(), "304 has no body");
        assertTrue(MessageBody.ofResponse(head("HTTP/1.1 204 No Content\r\n\r\n"), "GET", 204).complete());
        assertTrue(MessageBody.ofResponse(head("HTTP/1.1 200 OK\r\n\r\n"), "GET", 200).endsWithClose());
        assertTrue(MessageBody.ofResponse(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"), "GET", 200).endsWithClose());
        assertTrue(MessageBody.ofResponse(head("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"), "GET", 200).endsWithClose());
    }

    @Test
    void noBodyAndUntilClose() throws Exception {
        assertTrue(MessageBody.none().complete());
        assertEquals(0, MessageBody.none().take(bytes("GET")));
        MessageBody rest = MessageBody.untilClose();
        assertEquals(4, rest.take(bytes("abcd")));
        assertFalse(rest.complete(), "only the connection's close ends it");
        assertTrue(rest.endsWithClose());
    }
}
