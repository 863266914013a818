package dev.mo.model;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that do not keep the JVM alive: mo's loops and pools end with the process, and a
 * stop leaves the containers running for the next start to adopt.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** Names threads {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> named(prefix + "-" + n.incrementAndGet(), r);
    }

    public static Thread named(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
