package dev.mo.proxy;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code sessionAffinity: ClientIP} for one listening socket, as kube-proxy keeps it: each client
 * address is remembered with the backend its last connection went to, and the time of that
 * connection. A new connection goes to the same backend while it is still among the backends and
 * the client connected within the timeout; otherwise it is placed afresh (round robin).
 */
final class ClientAffinity {
    private record Entry(String backend, Instant lastConnection) {}

    /** How many clients are remembered before the expired ones are swept out. */
    private static final int SWEEP_ABOVE = 10_000;

    private final Map<InetAddress, Entry> clients = new ConcurrentHashMap<>();

    /** The backend this client sticks to now, or null. */
    String backendOf(InetAddress client, List<String> backends, Duration timeout, Instant now) {
        Entry e = clients.get(client);
        if (e == null) return null;
        if (e.lastConnection().plus(timeout).isBefore(now) || !backends.contains(e.backend())) {
            clients.remove(client, e);
            return null;
        }
        return e.backend();
    }

    /** The client's connection at {@code now} went to {@code backend}. */
    void remember(InetAddress client, String backend, Instant now, Duration timeout) {
        clients.put(client, new Entry(backend, now));
        if (clients.size() > SWEEP_ABOVE) clients.values().removeIf(e -> e.lastConnection().plus(timeout).isBefore(now));
    }
}
