package dev.mo.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One request's walk over its route's backends, starting at its round-robin turn. Backends
 * found unreachable a moment ago come last: tried only when every other one has failed.
 */
final class Attempt {
    final Route route;
    private final List<String> order;
    private int next;
    final List<String> tried = new ArrayList<>();
    String backend;
    /** The current try got a pooled connection: if it fails, that may just be a stale keep-alive. */
    boolean reused;
    /** Retrying {@link #backend} on a new connection after a pooled one failed. */
    boolean fresh;

    Attempt(Route route, int start, Predicate<String> unreachable) {
        this.route = route;
        List<String> all = route.backends();
        List<String> order = new ArrayList<>(all.size());
        List<String> last = new ArrayList<>(0);
        for (int i = 0; i < all.size(); i++) {
            String backend = all.get((start + i) % all.size());
            (unreachable.test(backend) ? last : order).add(backend);
        }
        order.addAll(last);
        this.order = order;
    }

    /** Moves to the next backend to try (or retries a failed pooled connection fresh); false when none is left. */
    boolean advance() {
        if (backend != null && reused) {
            reused = false;
            fresh = true;
            return true;
        }
        if (next >= order.size()) return false;
        backend = order.get(next++);
        fresh = false;
        tried.add(backend);
        return true;
    }
}
