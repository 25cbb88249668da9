package io.fulcrum.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The admin API's bearer token: given by the operator, or generated at first start into the data
 * directory (readable by its owner only). Its value is never logged, not even in {@link #toString()}.
 */
public final class AdminToken {
    /** The file name of a generated token, in the data directory. */
    public static final String FILE_NAME = "admin.token";
    /** The environment variable an operator may set the token in. */
    public static final String ENVIRONMENT_VARIABLE = "FULCRUM_ADMIN_TOKEN";
    /** 32 random bytes: 256 bits, beyond guessing. */
    private static final int RANDOM_BYTES = 32;
    private static final int MIN_CHARS = 16;

    /** Digest of the token: compared in constant time, and of a fixed length whatever the guess's. */
    private final byte[] digest;
    private final Path file;
    private final String source;

    private AdminToken(String token, Path file, String source) {
        this.digest = sha256(token);
        this.file = file;
        this.source = source;
    }

    /** A token given as text (from the environment, or a test). */
    public static AdminToken of(String token) {
        return new AdminToken(check(token, "the token"), null, "given");
    }

    /**
     * The operator's token when one is given (a file, else the environment variable), otherwise the one
     * in {@code dataDir/admin.token}, generated there (mode 0600) at the first start.
     *
     * @param tokenFile the operator's token file, or null
     * @param environmentToken the value of {@value #ENVIRONMENT_VARIABLE}, or null
     * @throws IOException when a token file cannot be read or written
     */
    public static AdminToken load(Path dataDir, Path tokenFile, String environmentToken) throws IOException {
        if (tokenFile != null) {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            return new AdminToken(check(token, tokenFile.toString()), tokenFile, "file " + tokenFile);
        }
        if (environmentToken != null && !environmentToken.isBlank()) {
            return new AdminToken(check(environmentToken.strip(), ENVIRONMENT_VARIABLE), null,
                    "environment variable " + ENVIRONMENT_VARIABLE);
        }
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            generate(file);
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        return new AdminToken(check(token, file.toString()), file, "file " + file);
    }

    /** Writes a new random token: created 0600 under a temporary name, then moved into place. */
    private static void generate(Path file) throws IOException {
        byte[] random = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not a POSIX file system
        }
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp); // another start won the race: its token stands
        }
    }

    private static String check(String token, String where) {
        Objects.requireNonNull(token, "token");
        if (token.length() < MIN_CHARS || token.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException(where + ": the admin token is too short or has spaces or"
                    + " control characters (expected: at least " + MIN_CHARS + " printable ASCII characters)");
        }
        return token;
    }

    /** True when an {@code Authorization} header value is {@code Bearer <this token>}; constant time. */
    public boolean matches(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }

    /** The file the token was read from, or null when it came from elsewhere. */
    public Path file() {
        return file;
    }

    /** Where the token came from, for the start-up message: "file …" or "environment variable …". */
    public String source() {
        return source;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken(" + source + ")";
    }
}
