package io.fulcrum.health;

/**
 * Reads the status out of a grpc.health.v1 {@code HealthCheckResponse} by hand, so that the main code
 * needs no protobuf library: the message has one field that matters, {@code status} (field 1, a varint).
 */
final class GrpcHealthResponse {
    /** The method of the standard health service; a check on this path reads the answer's status. */
    static final String CHECK_PATH = "/grpc.health.v1.Health/Check";
    /** The answer's status when the server is serving. */
    static final int SERVING = 1;
    /** Not a status: the bytes are not one uncompressed gRPC message holding a well-formed response. */
    static final int MALFORMED = -1;

    private static final String[] NAMES = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private GrpcHealthResponse() {
    }

    /**
     * The {@code status} of the one gRPC message in {@code frame[0, length)} (a 5-byte prefix: compressed
     * flag and big-endian length, then the protobuf message), 0 (UNKNOWN) when the field is absent as
     * proto3 leaves out a default, or {@link #MALFORMED}.
     */
    static int status(byte[] frame, int length) {
        if (length < 5 || frame[0] != 0) {
            return MALFORMED; // no message, or a compressed one (the probe offers no encoding)
        }
        long messageLength = ((frame[1] & 0xFFL) << 24) | ((frame[2] & 0xFF) << 16) | ((frame[3] & 0xFF) << 8)
                | (frame[4] & 0xFF);
        if (messageLength != length - 5) {
            return MALFORMED; // cut short, or a second message after it
        }
        int status = 0;
        int[] at = {5};
        while (at[0] < length) {
            long tag = varint(frame, length, at);
            if (tag < 0) {
                return MALFORMED;
            }
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            switch (wireType) {
                case 0 -> {
                    long value = varint(frame, length, at);
                    if (value < 0) {
                        return MALFORMED;
                    }
                    if (field == 1) {
                        status = (int) value; // the last one wins, as in protobuf
                    }
                }
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    long size = varint(frame, length, at);
                    if (size < 0 || size > length) {
                        return MALFORMED;
                    }
                    at[0] += (int) size;
                }
                default -> {
                    return MALFORMED; // groups are not in this message, and 6 and 7 are no wire types
                }
            }
            if (field == 1 && wireType != 0 || at[0] > length) {
                return MALFORMED;
            }
        }
        return status;
    }

    /** A status's name as the .proto spells it, or its number when unknown to us. */
    static String name(int status) {
        return status >= 0 && status < NAMES.length ? NAMES[status] : Integer.toString(status);
    }

    /** The varint at {@code at[0]}, which it moves past; -1 when it runs off the end or is over 10 bytes. */
    private static long varint(byte[] bytes, int length, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= length) {
                return -1;
            }
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value & Long.MAX_VALUE; // negative enum values are not ours to honour
            }
        }
        return -1;
    }
}
