package io.fulcrum.proxy;

import io.fulcrum.balancing.Candidate;
import io.fulcrum.health.TargetHealth;
import io.fulcrum.metrics.TargetStats;
import io.fulcrum.model.Target;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One registered target as the data plane sees it: its address, live health, requests in flight and
 * whether it is draining. Kept across config reloads while the target stays registered, so its health
 * and pooled connections survive a reload.
 */
public final class LiveTarget implements Candidate {
    private final String groupName;
    private final String key;
    private final InetSocketAddress address;
    private final TargetHealth health;
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Open connections to this target (pooled or busy), so a finished drain can close them all. */
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final boolean slowStartEnabled;
    private final TargetStats stats = new TargetStats();
    private volatile int weight;
    private volatile boolean draining;
    /** The group of the current snapshot; health changes refresh its routable list. */
    private volatile LiveTargetGroup group;

    public LiveTarget(String groupName, Target target, TargetHealth health, boolean slowStartEnabled) {
        this.groupName = groupName;
        this.key = target.address();
        this.address = new InetSocketAddress(target.id(), target.port());
        this.health = health;
        this.weight = target.weight();
        this.slowStartEnabled = slowStartEnabled;
        health.addListener(change -> {
            LiveTargetGroup current = group;
            if (current != null) {
                current.refreshRoutable();
            }
        });
    }

    /** "host:port", the key of this target within its group and in stickiness cookies. */
    public String key() {
        return key;
    }

    public String groupName() {
        return groupName;
    }

    public InetSocketAddress address() {
        return address;
    }

    public TargetHealth health() {
        return health;
    }

    /** What this target counts while it stays registered. */
    public TargetStats stats() {
        return stats;
    }

    public boolean draining() {
        return draining;
    }

    public void markDraining() {
        draining = true;
        health.markDraining();
    }

    public void attach(LiveTargetGroup owner, int newWeight) {
        this.weight = newWeight;
        this.group = owner;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int outstandingRequests() {
        return outstanding.get();
    }

    @Override
    public long slowStartBeginNanos() {
        return slowStartEnabled ? health.healthySinceNanos() : Long.MIN_VALUE;
    }

    /** Counts {@code channel} among this target's connections, closed by {@link #closeConnections()}. */
    public void track(Channel channel) {
        channels.add(channel);
    }

    /** Closes every connection to this target: the end of a drain. */
    public void closeConnections() {
        channels.close();
    }

    /** Takes a request slot if fewer than {@code max} are in flight (0: no limit). */
    boolean tryAcquire(int max) {
        if (max <= 0) {
            outstanding.incrementAndGet();
            return true;
        }
        int current;
        do {
            current = outstanding.get();
            if (current >= max) {
                return false;
            }
        } while (!outstanding.compareAndSet(current, current + 1));
        return true;
    }

    /** Gives a request slot back, or straight to a request queued for this target's group. */
    public void release() {
        LiveTargetGroup current = group;
        if (current != null && current.queue().size() > 0 && !draining && current.queue().handOff(this)) {
            return;
        }
        outstanding.decrementAndGet();
    }

    @Override
    public String toString() {
        return groupName + "/" + key;
    }
}
