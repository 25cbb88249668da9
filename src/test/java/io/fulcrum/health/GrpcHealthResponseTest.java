package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The hand-made reader of grpc.health.v1 answers, against messages encoded by protobuf-java itself. */
class GrpcHealthResponseTest {
    private static byte[] frame(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    private static int status(byte[] frame) {
        return GrpcHealthResponse.status(frame, frame.length);
    }

    private static byte[] encoded(ServingStatus status) {
        return frame(HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray());
    }

    @Test
    void readsEachStatusProtobufWrites() {
        assertThat(status(encoded(ServingStatus.SERVING))).isEqualTo(GrpcHealthResponse.SERVING);
        assertThat(status(encoded(ServingStatus.NOT_SERVING))).isEqualTo(2);
        assertThat(status(encoded(ServingStatus.SERVICE_UNKNOWN))).isEqualTo(3);
        // proto3 leaves the default out: an empty message is UNKNOWN
        assertThat(encoded(ServingStatus.UNKNOWN)).hasSize(5);
        assertThat(status(encoded(ServingStatus.UNKNOWN))).isZero();
        assertThat(GrpcHealthResponse.name(2)).isEqualTo("NOT_SERVING");
        assertThat(GrpcHealthResponse.name(7)).isEqualTo("7");
    }

    @Test
    void skipsFieldsItDoesNotKnowAndTakesTheLastStatus() {
        // field 2 length-delimited "ab", field 3 fixed32, field 4 fixed64, then status 2, then status 1
        byte[] message = {0x12, 2, 'a', 'b', 0x1D, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x08, 2, 0x08, 1};
        assertThat(status(frame(message))).isEqualTo(GrpcHealthResponse.SERVING);
        assertThat(status(frame(new byte[] {0x08, (byte) 0x81, 0x00}))).isEqualTo(1); // a non-minimal varint
    }

    @Test
    void rejectsWhatIsNotOneWellFormedUncompressedMessage() {
        byte[] serving = encoded(ServingStatus.SERVING);
        assertThat(GrpcHealthResponse.status(serving, 4)).isEqualTo(GrpcHealthResponse.MALFORMED); // no prefix
        assertThat(GrpcHealthResponse.status(serving, serving.length - 1)).isEqualTo(GrpcHealthResponse.MALFORMED);
        byte[] compressed = serving.clone();
        compressed[0] = 1;
        assertThat(status(compressed)).isEqualTo(GrpcHealthResponse.MALFORMED);
        assertThat(status(frame(new byte[] {0x08}))).isEqualTo(GrpcHealthResponse.MALFORMED); // varint cut short
        assertThat(status(frame(new byte[] {0x0A, 1, 1}))).isEqualTo(GrpcHealthResponse.MALFORMED); // status not a varint
        assertThat(status(frame(new byte[] {0x12, 9, 1}))).isEqualTo(GrpcHealthResponse.MALFORMED); // runs past the end
        assertThat(status(frame(new byte[] {0x0B}))).isEqualTo(GrpcHealthResponse.MALFORMED); // a group
        byte[] twoMessages = ByteBuffer.allocate(serving.length * 2).put(serving).put(serving).array();
        assertThat(status(twoMessages)).isEqualTo(GrpcHealthResponse.MALFORMED);
    }
}
