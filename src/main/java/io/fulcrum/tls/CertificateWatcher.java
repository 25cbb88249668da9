package io.fulcrum.tls;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the certificate files of every watched listener on one background thread, so a renewed
 * certificate is served without a restart. Polling (not WatchService) also sees files replaced
 * through symlinks, as certbot and Kubernetes secrets do.
 */
public final class CertificateWatcher implements AutoCloseable {
    /** How often the files are looked at. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(CertificateWatcher.class);

    private final Set<ServerTls> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor;

    public CertificateWatcher(Duration interval) {
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fulcrum-certificates");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    public void watch(ServerTls tls) {
        watched.add(tls);
    }

    public void unwatch(ServerTls tls) {
        watched.remove(tls);
    }

    private void poll() {
        for (ServerTls tls : watched) {
            try {
                tls.reloadIfChanged();
            } catch (RuntimeException e) {
                LOG.error("Certificate reload failed", e); // the thread must survive to look again
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
