package io.fulcrum.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Exposes {@link LatencyHistogram}s as one Prometheus histogram family, one data point per label value. */
final class HistogramCollector implements Collector {
    private static final double[] UPPER_BOUNDS = new double[LatencyHistogram.BOUNDS_SECONDS.length + 1];

    static {
        System.arraycopy(LatencyHistogram.BOUNDS_SECONDS, 0, UPPER_BOUNDS, 0, LatencyHistogram.BOUNDS_SECONDS.length);
        UPPER_BOUNDS[UPPER_BOUNDS.length - 1] = Double.POSITIVE_INFINITY;
    }

    private final String name;
    private final String help;
    private final String label;
    private final Map<String, LatencyHistogram> histograms = new ConcurrentHashMap<>();

    HistogramCollector(String name, String help, String label) {
        this.name = name;
        this.help = help;
        this.label = label;
    }

    void put(String labelValue, LatencyHistogram histogram) {
        histograms.put(labelValue, histogram);
    }

    void remove(String labelValue, LatencyHistogram histogram) {
        histograms.remove(labelValue, histogram);
    }

    @Override
    public String getPrometheusName() {
        return name;
    }

    @Override
    public MetricSnapshot collect() {
        HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(name).help(help);
        histograms.forEach((value, histogram) -> builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(Labels.of(label, value))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(UPPER_BOUNDS, histogram.bucketCounts()))
                .sum(histogram.sumSeconds())
                .build()));
        return builder.build();
    }
}
