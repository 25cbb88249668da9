package io.fulcrum.scaling;

import java.util.OptionalDouble;

/** Reads the CPU time an instance has used so far, for the ASGAverageCPUUtilization metric. */
@FunctionalInterface
public interface CpuMeter {
    /**
     * CPU seconds the instance's whole process tree has used since it started (user and system, its
     * reaped children included), or empty when it cannot be read.
     */
    OptionalDouble cpuSeconds(Instance instance);

    /** How many cores 100 % stands for: all of the machine's (those this JVM may use), as EC2 counts vCPUs. */
    default int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
