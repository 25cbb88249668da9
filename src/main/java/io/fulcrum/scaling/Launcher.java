package io.fulcrum.scaling;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts and stops instances. The seam between the group logic and where instances run (local
 * processes now; containers, remote hosts or cloud APIs later). Methods do not block, except
 * {@link #adoptExisting()} and {@link #close()}.
 */
public interface Launcher extends AutoCloseable {
    /**
     * Launches one instance from {@code request}'s template. The future completes with the running
     * instance, or fails with a {@link LaunchException} saying why it could not start.
     */
    CompletableFuture<Instance> launch(LaunchRequest request);

    /**
     * Stops an instance: SIGTERM (or its launcher's equivalent), then a forced kill after the
     * template's termination grace period. The future completes when nothing of it runs any more;
     * it fails with {@link IllegalArgumentException} for an id this launcher does not know.
     * Terminating twice returns the same outcome.
     */
    CompletableFuture<ExitInfo> terminate(String instanceId);

    /** The live instance with this id (launched or adopted), if any. */
    Optional<Instance> describe(String instanceId);

    /** Every live instance, launched or adopted, oldest launch first. */
    List<Instance> instances();

    /**
     * Finds the instances a previous run of Fulcrum launched that are still running and takes them
     * over (they then appear in {@link #instances()}); forgets those that are gone. Call it once, at start.
     */
    List<Instance> adoptExisting();

    /**
     * Leaves this instance running when the launcher is closed, recorded so that the next run's
     * {@link #adoptExisting()} takes it over (a group's {@code keepInstancesOnExit}). A launcher that
     * cannot leave instances behind ignores it. Does not block.
     */
    default void keepOnClose(String instanceId) {
    }

    /**
     * Stops every instance and waits until they are gone (unless configured to keep instances
     * running for a later {@link #adoptExisting()}), then releases the launcher's threads.
     */
    @Override
    void close();
}
