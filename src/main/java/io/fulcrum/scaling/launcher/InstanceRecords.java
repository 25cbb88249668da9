package io.fulcrum.scaling.launcher;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fulcrum.scaling.InstanceIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The instance records of a data directory, one JSON file per instance, each written whole or not at all. */
final class InstanceRecords {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRecords.class);
    private static final String SUFFIX = ".json";

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    InstanceRecords(Path directory) {
        this.directory = directory;
    }

    Path file(String instanceId) {
        return directory.resolve(instanceId + SUFFIX);
    }

    void write(InstanceRecord record) {
        Path target = file(record.instanceId());
        Path temporary = directory.resolve(record.instanceId() + SUFFIX + ".tmp");
        try {
            json.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), record);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    void delete(String instanceId) {
        try {
            Files.deleteIfExists(file(instanceId));
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file(instanceId), e.toString());
        }
    }

    /** Every readable record; a file that cannot be read is reported and left alone. */
    List<InstanceRecord> readAll() {
        List<InstanceRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "i-*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    InstanceRecord record = json.readValue(file.toFile(), InstanceRecord.class);
                    String expectedName = record.instanceId() + SUFFIX;
                    if (!InstanceIds.isValid(record.instanceId()) || !file.getFileName().toString().equals(expectedName)) {
                        LOG.warn("{}: instanceId {} does not match the file name (expected: {}); ignored",
                                file, record.instanceId(), file.getFileName());
                        continue;
                    }
                    records.add(record);
                } catch (IOException e) {
                    LOG.warn("{}: unreadable instance record ({}); ignored", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return records;
    }
}
