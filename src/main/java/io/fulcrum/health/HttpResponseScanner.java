package io.fulcrum.health;

import io.netty.buffer.ByteBuf;

/**
 * Reads HTTP/1.x responses of a health check connection from raw bytes: the status line, the few headers
 * that frame the body and say whether the connection stays open, then the body, skipped unread.
 *
 * <p>A check needs only the status code, so this replaces a full HTTP codec (no header objects, no
 * validation of headers the check ignores): less work per check and less code for the JIT to warm up.
 * Interim (1xx) answers are skipped. One instance per connection, confined to its event loop; the
 * caller feeds each read buffer to {@link #scan} until it is empty or something other than
 * {@link #NEED_MORE} comes back.
 */
final class HttpResponseScanner {
    /** Every byte given was consumed; the response is not complete yet. */
    static final int NEED_MORE = 0;
    /** A final response head was read: {@link #status()} and {@link #keepAlive()} are set; the body follows. */
    static final int HEAD = 1;
    /** The response ended (body included); the connection may carry the next request if {@link #keepAlive()}. */
    static final int DONE = 2;
    /** Not an HTTP/1.x response, or a head too long: the connection is of no further use. */
    static final int INVALID = 3;

    /** The longest status line or header line accepted, as the codec this replaces. */
    static final int MAX_LINE = 8192;
    /** The longest head (all header lines) accepted. */
    static final int MAX_HEAD = 16384;

    private enum State { STATUS_LINE, HEADER_LINE, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER,
        BODY_UNTIL_CLOSE, DONE, FAILED }

    /** Grows up to {@link #MAX_LINE} when a line needs it: a thousand checked targets keep a thousand scanners. */
    private byte[] line = new byte[128];
    private int lineLength;
    private int headLength;
    private State state = State.STATUS_LINE;
    private int status;
    private boolean http10;
    private boolean keepAlive;
    private boolean closeSeen;
    private boolean keepAliveSeen;
    private boolean chunked;
    private boolean otherCoding;
    private long contentLength;
    private long remaining;

    /** Gets ready for the next response on the same connection. */
    void reset() {
        state = State.STATUS_LINE;
        lineLength = 0;
        headLength = 0;
        status = 0;
    }

    /** The status code of the latest final head. */
    int status() {
        return status;
    }

    /** Whether the connection may carry another request once this response is {@link #DONE}. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** True when the current response ends only when the connection closes (no length, not chunked). */
    boolean readsUntilClose() {
        return state == State.BODY_UNTIL_CLOSE;
    }

    /**
     * Consumes bytes of {@code in} up to the next event; see the constants. Call again after {@link #HEAD}
     * even when {@code in} is empty: a response without a body is {@link #DONE} at once. {@link #NEED_MORE}
     * means {@code in} is used up.
     */
    int scan(ByteBuf in) {
        if (state == State.DONE || state == State.FAILED) {
            return state == State.FAILED ? INVALID : DONE;
        }
        while (in.isReadable()) {
            switch (state) {
                case STATUS_LINE, HEADER_LINE, CHUNK_SIZE, CHUNK_END, TRAILER -> {
                    if (!readLine(in)) {
                        return state == State.FAILED ? INVALID : NEED_MORE;
                    }
                    int event = onLine();
                    if (event != NEED_MORE) {
                        return event;
                    }
                }
                case BODY_LENGTH, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    in.skipBytes(n);
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.CHUNK_DATA) {
                            state = State.CHUNK_END;
                        } else {
                            state = State.DONE;
                            return DONE;
                        }
                    }
                }
                case BODY_UNTIL_CLOSE -> in.skipBytes(in.readableBytes());
                default -> throw new IllegalStateException(state.name());
            }
        }
        return NEED_MORE;
    }

    /** Reads into {@link #line} up to a LF; true once a whole line (without CR LF) is there. */
    private boolean readLine(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        int end = lf < 0 ? in.writerIndex() : lf;
        int n = end - in.readerIndex();
        if (lineLength + n > MAX_LINE || headLength + n > MAX_HEAD) {
            state = State.FAILED;
            return false;
        }
        if (lineLength + n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, lineLength + n)));
        }
        in.readBytes(line, lineLength, n);
        lineLength += n;
        headLength += n;
        if (lf < 0) {
            return false;
        }
        in.skipBytes(1);
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        return true;
    }

    private int onLine() {
        int length = lineLength;
        lineLength = 0;
        switch (state) {
            case STATUS_LINE -> {
                return statusLine(length);
            }
            case HEADER_LINE -> {
                return length == 0 ? endOfHead() : header(length);
            }
            case CHUNK_SIZE -> {
                return chunkSize(length);
            }
            case CHUNK_END -> {
                if (length != 0) {
                    return fail();
                }
                headLength = 0;
                state = State.CHUNK_SIZE;
                return NEED_MORE;
            }
            case TRAILER -> {
                if (length == 0) {
                    state = State.DONE;
                    return DONE;
                }
                return NEED_MORE;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    /** {@code HTTP/1.x SP 3DIGIT [SP reason]} */
    private int statusLine(int length) {
        if (length < 12 || line[0] != 'H' || line[1] != 'T' || line[2] != 'T' || line[3] != 'P' || line[4] != '/'
                || line[5] != '1' || line[6] != '.' || !digit(line[7]) || line[8] != ' '
                || !digit(line[9]) || !digit(line[10]) || !digit(line[11]) || (length > 12 && line[12] != ' ')) {
            return fail();
        }
        status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        if (status < 100) {
            return fail();
        }
        http10 = line[7] == '0';
        closeSeen = false;
        keepAliveSeen = false;
        chunked = false;
        otherCoding = false;
        contentLength = -1;
        state = State.HEADER_LINE;
        return NEED_MORE;
    }

    private int header(int length) {
        int colon = indexOf((byte) ':', 0, length);
        if (colon <= 0) {
            return fail();
        }
        int from = skipSpaces(colon + 1, length);
        int to = length;
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        if (nameIs("content-length", colon)) {
            long value = 0;
            if (from == to) {
                return fail();
            }
            for (int i = from; i < to; i++) {
                if (!digit(line[i]) || value > Long.MAX_VALUE / 10 - 9) {
                    return fail();
                }
                value = value * 10 + (line[i] - '0');
            }
            if (contentLength >= 0 && contentLength != value) {
                return fail();
            }
            contentLength = value;
        } else if (nameIs("transfer-encoding", colon)) {
            // chunked must be the last coding for the body to be framed by chunks
            chunked = endsWithToken("chunked", from, to);
            otherCoding = !chunked;
        } else if (nameIs("connection", colon)) {
            closeSeen |= hasToken("close", from, to);
            keepAliveSeen |= hasToken("keep-alive", from, to);
        }
        return NEED_MORE;
    }

    private int endOfHead() {
        headLength = 0;
        if (status < 200) {
            state = State.STATUS_LINE; // interim: a 1xx has no body; the final answer follows
            return NEED_MORE;
        }
        keepAlive = !closeSeen && (!http10 || keepAliveSeen);
        if (status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (otherCoding || contentLength < 0) {
            keepAlive = false;
            state = State.BODY_UNTIL_CLOSE;
        } else if (contentLength == 0) {
            state = State.DONE;
        } else {
            remaining = contentLength;
            state = State.BODY_LENGTH;
        }
        return HEAD;
    }

    private int chunkSize(int length) {
        headLength = 0; // the head limit is per line here: a long body has many chunks
        int end = indexOf((byte) ';', 0, length);
        if (end < 0) {
            end = length;
        }
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (end == 0 || end > 15) {
            return fail();
        }
        long size = 0;
        for (int i = 0; i < end; i++) {
            int d = Character.digit(line[i], 16);
            if (d < 0) {
                return fail();
            }
            size = size * 16 + d;
        }
        if (size == 0) {
            state = State.TRAILER;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return NEED_MORE;
    }

    private int fail() {
        state = State.FAILED;
        keepAlive = false;
        return INVALID;
    }

    private boolean nameIs(String name, int colon) {
        int end = colon;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (end != name.length()) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            if (lower(line[i]) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when the comma-separated list in [from, to) contains {@code token}, ignoring case. */
    private boolean hasToken(String token, int from, int to) {
        int i = from;
        while (i < to) {
            int comma = indexOf((byte) ',', i, to);
            int end = comma < 0 ? to : comma;
            if (tokenIs(token, skipSpaces(i, end), end)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    private boolean endsWithToken(String token, int from, int to) {
        int start = from;
        for (int i = to - 1; i >= from; i--) {
            if (line[i] == ',') {
                start = i + 1;
                break;
            }
        }
        return tokenIs(token, skipSpaces(start, to), to);
    }

    private boolean tokenIs(String token, int from, int to) {
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        if (to - from != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (lower(line[from + i]) != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int skipSpaces(int from, int to) {
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
}
