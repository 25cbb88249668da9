package io.fulcrum.control;

import java.time.Instant;

/** A kept revision without its state: what a list of revisions shows. */
public record RevisionInfo(long revision, Instant time, String cause) {
}
