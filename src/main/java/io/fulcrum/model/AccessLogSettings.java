package io.fulcrum.model;

/**
 * A load balancer's access log (ALB's {@code access_logs.s3.*} attributes, written to a local file).
 *
 * @param enabled off by default, as in ALB
 * @param path the file the lines go to; required when enabled
 * @param maxFileSize the file is rotated (and gzipped) before it would pass this many bytes
 * @param maxFiles rotated files kept; the oldest beyond this are deleted
 */
public record AccessLogSettings(boolean enabled, String path, long maxFileSize, int maxFiles) {
    /** 100 MiB: a day of a busy balancer spreads over a few files that stay quick to open. */
    public static final long DEFAULT_MAX_FILE_SIZE = 100L * 1024 * 1024;
    /** Rotated files kept by default. */
    public static final int DEFAULT_MAX_FILES = 30;
    /** The smallest maxFileSize accepted. */
    public static final long MIN_MAX_FILE_SIZE = 1024;
    public static final AccessLogSettings OFF = new AccessLogSettings(false, null, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_FILES);
}
