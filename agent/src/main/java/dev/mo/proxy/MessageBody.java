package dev.mo.proxy;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where one HTTP/1.1 message body ends (RFC 9112 §6.3), found while its bytes stream past. The
 * proxy passes bodies on as they came, chunked encoding included; it only needs to know which
 * bytes still belong to this message and which are the next one's (a pipelined request, or a
 * keep-alive connection's next response). A body is one of:
 * <ul>
 * <li>none (a GET without Content-Length, a HEAD's response, 1xx, 204 and 304),</li>
 * <li>a fixed length (Content-Length),</li>
 * <li>chunked: hex size lines, data, and a last zero-size chunk with optional trailer lines,</li>
 * <li>until the connection closes (a response with neither; the client connection closes after it).</li>
 * </ul>
 */
final class MessageBody {
    /** Bytes that cannot be a chunked body. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private enum Chunk { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LF, DONE }

    private final boolean chunked;
    private final boolean untilClose;
    /** Fixed: bytes still to come. Chunked: data bytes left in the current chunk. */
    private long remaining;
    /** Content bytes seen so far (chunk data only, for a chunked body). */
    private long content;
    private Chunk state = Chunk.SIZE;
    private int sizeDigits;
    private boolean trailerLineEmpty = true;

    private MessageBody(boolean chunked, boolean untilClose, long length) {
        this.chunked = chunked;
        this.untilClose = untilClose;
        this.remaining = length;
    }

    /**
     * How a request's head frames its body (RFC 9112 §6.3): chunked, a Content-Length, or none. A
     * request that could be read two ways is refused, because a proxy and a backend that frame it
     * differently is how requests are smuggled: both headers at once, a Transfer-Encoding not
     * ending in chunked, Content-Length values that differ.
     */
    static MessageBody ofRequest(HttpHead request) throws HttpHead.Malformed {
        List<String> te = request.all("Transfer-Encoding");
        List<String> cl = request.all("Content-Length");
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) throw new HttpHead.Malformed("both Transfer-Encoding and Content-Length");
            if (!lastCodingIsChunked(te)) throw new HttpHead.Malformed("Transfer-Encoding does not end with chunked");
            return chunked();
        }
        return cl.isEmpty() ? none() : fixed(contentLength(cl));
    }

    /**
     * How a response's head frames its body: none for a HEAD request's response, 204 and 304 (and
     * 1xx); chunked or a Content-Length when it says so; else until the connection closes.
     */
    static MessageBody ofResponse(HttpHead response, String requestMethod, int status) {
        if (requestMethod.equals("HEAD") || status == 204 || status == 304 || status < 200) return none();
        List<String> te = response.all("Transfer-Encoding");
        if (!te.isEmpty()) return lastCodingIsChunked(te) ? chunked() : untilClose();
        List<String> cl = response.all("Content-Length");
        if (cl.isEmpty()) return untilClose();
        try {
            return fixed(contentLength(cl));
        } catch (HttpHead.Malformed e) {
            return untilClose(); // a backend's bad length: read to the close, as a browser would
        }
    }

    private static boolean lastCodingIsChunked(List<String> transferEncodings) {
        String[] codings = transferEncodings.get(transferEncodings.size() - 1).split(",");
        return codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
    }

    /** One length from one or more Content-Length values (repeats must agree). */
    private static long contentLength(List<String> values) throws HttpHead.Malformed {
        long length = -1;
        for (String value : values) {
            for (String v : value.split(",")) {
                long n;
                try {
                    n = Long.parseLong(v.strip());
                } catch (NumberFormatException e) {
                    throw new HttpHead.Malformed("bad Content-Length: " + v.strip());
                }
                if (n < 0 || (length >= 0 && n != length)) throw new HttpHead.Malformed("bad Content-Length: " + value);
                length = n;
            }
        }
        return length;
    }

    static MessageBody none() {
        return new MessageBody(false, false, 0);
    }

    static MessageBody fixed(long length) {
        return new MessageBody(false, false, length);
    }

    static MessageBody chunked() {
        return new MessageBody(true, false, 0);
    }

    static MessageBody untilClose() {
        return new MessageBody(false, true, Long.MAX_VALUE);
    }

    boolean isChunked() {
        return chunked;
    }

    boolean endsWithClose() {
        return untilClose;
    }

    /** The declared length of a fixed body not yet read from; 0 for the other kinds. */
    long fixedLength() {
        return chunked || untilClose ? 0 : remaining + content;
    }

    /** True once the last byte of the body went past (never for a body that ends with the connection). */
    boolean complete() {
        return chunked ? state == Chunk.DONE : !untilClose && remaining == 0;
    }

    /** Content bytes seen so far: what a size limit counts. */
    long contentSoFar() {
        return content;
    }

    /**
     * Of the bytes {@code buf[position, limit)}, how many (from the start) belong to this body.
     * Counts them as passed; the caller forwards exactly that many. Leaves {@code buf} as it is.
     */
    int take(ByteBuffer buf) throws Malformed {
        return take(buf, null);
    }

    /**
     * As {@link #take(ByteBuffer)}, and copies the content of a chunked body, without its
     * framing, into {@code contentSink} (for a client that cannot read chunked encoding). The
     * sink must have room for as many bytes as {@code buf} offers.
     */
    int take(ByteBuffer buf, ByteBuffer contentSink) throws Malformed {
        int available = buf.remaining();
        if (!chunked) {
            int n = (int) Math.min(available, remaining);
            if (!untilClose) remaining -= n;
            content += n;
            return n;
        }
        int pos = buf.position();
        int i = pos;
        int end = buf.limit();
        while (i < end && state != Chunk.DONE) {
            if (state == Chunk.DATA) { // the bulk of a body: skip it in one step
                int n = (int) Math.min(end - i, remaining);
                if (contentSink != null) {
                    contentSink.put(contentSink.position(), buf, i, n);
                    contentSink.position(contentSink.position() + n);
                }
                i += n;
                remaining -= n;
                content += n;
                if (remaining == 0) state = Chunk.DATA_CR;
                continue;
            }
            step(buf.get(i++));
        }
        return i - pos;
    }

    private void step(byte b) throws Malformed {
        switch (state) {
            case SIZE -> {
                int digit = Character.digit(b, 16);
                if (digit >= 0) {
                    if (++sizeDigits > 15) throw new Malformed("chunk size too large");
                    remaining = remaining * 16 + digit;
                } else if (sizeDigits == 0) {
                    throw new Malformed("chunk size missing");
                } else if (b == ';' || b == ' ' || b == '\t') {
                    state = Chunk.EXTENSION;
                } else {
                    endSizeLine(b);
                }
            }
            case EXTENSION -> {
                if (b == '\r' || b == '\n') endSizeLine(b);
            }
            case SIZE_LF -> {
                if (b != '\n') throw new Malformed("chunk size line not ended by CRLF");
                afterSizeLine();
            }
            case DATA_CR -> {
                if (b == '\n') state = startChunk();
                else if (b == '\r') state = Chunk.DATA_LF;
                else throw new Malformed("chunk data not followed by CRLF");
            }
            case DATA_LF -> {
                if (b != '\n') throw new Malformed("chunk data not followed by CRLF");
                state = startChunk();
            }
            case TRAILER -> {
                if (b == '\r') state = Chunk.TRAILER_LF;
                else if (b == '\n') endTrailerLine();
                else trailerLineEmpty = false;
            }
            case TRAILER_LF -> {
                if (b != '\n') throw new Malformed("trailer line not ended by CRLF");
                endTrailerLine();
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void endSizeLine(byte b) throws Malformed {
        if (b == '\r') state = Chunk.SIZE_LF;
        else if (b == '\n') afterSizeLine();
        else throw new Malformed("bad character in chunk size");
    }

    private void afterSizeLine() {
        if (remaining == 0) {
            state = Chunk.TRAILER; // the last chunk: trailer lines, then an empty line
            trailerLineEmpty = true;
        } else {
            state = Chunk.DATA;
        }
    }

    private Chunk startChunk() {
        sizeDigits = 0;
        remaining = 0;
        return Chunk.SIZE;
    }

    private void endTrailerLine() {
        if (trailerLineEmpty) {
            state = Chunk.DONE;
        } else {
            trailerLineEmpty = true;
            state = Chunk.TRAILER;
        }
    }
}
